"""`make screenshots`: the README's pictures of the PDFs (a letter in English and Korean, a badge sheet, a table card).

The demo delegation (seed_demo) with five delegates; each PDF's first page rendered to PNG by PDFium.
Marked ``screenshots``, so the normal test run leaves it out (pytest.ini)."""

from datetime import date
from pathlib import Path

import pypdfium2
import pytest
from django.conf import settings
from django.contrib.auth.models import User
from django.core.management import call_command

from registrations import services
from registrations.models import Delegation
from tests.conftest import submission
from tests.helpers import registration_submit_confirmed

OUT = Path(settings.BASE_DIR) / "docs" / "screenshots"
PEOPLE = [
    ("王小明", "WANG XIAOMING", "EA1234567", "威海智慧物流有限公司", "首席执行官"),
    ("李娜", "LI NA", "EB7654321", "苏州生物医药科技有限公司", "副总裁"),
    ("陈伟", "CHEN WEI", "EC2468135", "深圳清洁能源集团", "董事长"),
    ("Emily Zhang", "ZHANG EMILY", "ED1357924", "Shanghai Autonomous Mobility Ltd.", "COO"),
    ("박서준", "PARK SEOJUN", "M12345678", "송도바이오텍", "상무"),
]

pytestmark = [pytest.mark.screenshots, pytest.mark.django_db]


def save(content: bytes, name: str, *, dpi: int = 110) -> Path:
    page = pypdfium2.PdfDocument(content)[0]
    path = OUT / f"{name}.png"
    page.render(scale=dpi / 72).to_pil().convert("RGB").save(path, optimize=True)
    print(f"{path}: PDF {len(content)} bytes")
    return path


def test_document_screenshots():
    call_command("seed_demo", verbosity=0)
    delegation = Delegation.objects.get(slug="incheon-tech-week")
    delegation.travel_data_recipients = "Incheon Grand Hotel (rooms); Songdo Bio Park (visitor passes)"
    delegation.save()
    sectors = list(delegation.sectors.all())
    people = []
    for number, (name, passport_name, passport_number, company, title) in enumerate(PEOPLE):
        registration = registration_submit_confirmed(
            **submission(delegation, full_name=name, company=company, job_title=title, sector=sectors[number % 4])
        )
        services.travel_consent_give(registration=registration, recipients=delegation.travel_data_recipients)
        services.travel_document_save(
            registration=registration,
            details={
                "passport_name": passport_name,
                "passport_number": passport_number,
                "nationality": "CHN",
                "date_of_birth": date(1970 + number * 3, number + 2, 10 + number).isoformat(),
                "passport_expires_on": date(delegation.ends_on.year + 5, 1, 1).isoformat(),
            },
        )
        people.append(registration)
    organizer = User.objects.create_superuser("organizer", password="x")

    for language in ("en", "ko"):
        letter = services.visa_letters_generate(registrations=people[:1], language=language, user=organizer)
        save(letter.content, f"visa-letter-{language}")
    badges = services.name_cards_generate(registrations=people, user=None, kind="badges")
    save(badges.content, "badge-sheet")
    cards = services.name_cards_generate(registrations=people[:1], user=None, kind="table_cards")
    save(cards.content, "table-card", dpi=80)
