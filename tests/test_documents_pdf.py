"""The PDF foundation (registrations/documents/pdf.py): embedded font subsets, tables, splitting, a missing font."""

import io

import pytest
from pypdf import PdfReader

from registrations.core.checks import pdf_font_present
from registrations.documents.pdf import PdfDocument, PdfFontMissing, pdf_split, table_pdf
from tests.document_helpers import pdf_pages, pdf_qr_codes

HEADER = ["Name", "Passport number", "Company"]
ROWS = [[f"张伟{number}", f"E{number:08d}", "威海智慧物流有限公司 · 송도바이오텍"] for number in range(60)]


def embedded_fonts(content: bytes) -> list[tuple[str, bool]]:
    fonts = []
    for page in PdfReader(io.BytesIO(content)).pages:
        for font in page["/Resources"]["/Font"].values():
            descendant = font.get_object()["/DescendantFonts"][0].get_object()
            descriptor = descendant["/FontDescriptor"].get_object()
            fonts.append((str(descendant["/BaseFont"]), "/FontFile3" in descriptor or "/FontFile2" in descriptor))
    return fonts


def test_table_pdf_repeats_the_header_on_every_page_and_embeds_a_font_subset():
    content = table_pdf(title="Visitors · 访客 · 방문객", subtitle="Songdo Bio Park", header=HEADER, rows=ROWS)

    pages = pdf_pages(content)
    assert len(pages) == 2
    assert all(page.count("Passport number") == 1 for page in pages)
    assert "张伟0" in pages[0] and "E00000059" in pages[1] and "송도바이오텍" in pages[1]
    assert "Page 2 of 2" in pages[1]
    fonts = set(embedded_fonts(content))
    assert {embedded for _name, embedded in fonts} == {True}
    assert all("+NotoSansCJK" in name for name, _embedded in fonts)  # a subset (tag+name), not the 19 MB font
    print(f"table PDF, 60 rows: {len(content)} bytes")
    assert len(content) < 80_000


def test_qr_code_drawn_as_vectors_decodes():
    document = PdfDocument(title="QR")
    document.add_page()
    document.qr_code("https://delegation.example.com/c/abc123/", x=20, y=20, size=25)

    assert pdf_qr_codes(document.bytes()) == ["https://delegation.example.com/c/abc123/"]


def test_pdf_split_gives_one_file_per_page_range():
    content = table_pdf(title="Visitors", header=HEADER, rows=ROWS)

    first, second = pdf_split(content, [range(0, 1), range(1, 2)])

    assert pdf_pages(first)[0].startswith("Visitors") and len(pdf_pages(first)) == 1
    assert "E00000059" in pdf_pages(second)[0]


def test_pdf_font_missing_says_what_to_install(settings):
    settings.PDF_FONT_FILE = "/nonexistent/font.ttc"

    with pytest.raises(PdfFontMissing, match="apt-get install fonts-noto-cjk"):
        PdfDocument(title="x")
    assert [error.id for error in pdf_font_present(None)] == ["registrations.E020"]


def test_pdf_font_present_passes_the_deploy_check():
    assert pdf_font_present(None) == []
