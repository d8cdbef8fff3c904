import io
from xml.etree import ElementTree

import pytest
import zxingcpp
from django.test import override_settings
from PIL import Image

from registrations.core import qr


def decode_png(data: bytes) -> str:
    results = zxingcpp.read_barcodes(Image.open(io.BytesIO(data)))
    assert len(results) == 1
    return results[0].text


def test_png_bytes_decodes_to_the_text():
    assert decode_png(qr.png_bytes("https://example.com/d/x/register/?src=poster")) == "https://example.com/d/x/register/?src=poster"


@pytest.mark.parametrize("size, expected_max", [(1, 2048), (128, 2048), (512, 600), (99999, 2100)])
def test_png_bytes_size_is_clamped(size, expected_max):
    width, height = Image.open(io.BytesIO(qr.png_bytes("https://example.com", size=size))).size

    assert width == height
    assert 64 <= width <= expected_max


@override_settings(SITE_URL="https://delegation.example.org")
def test_qr_png_view_encodes_absolute_register_url(client, delegation):
    response = client.get(f"/d/{delegation.slug}/qr.png")

    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    assert decode_png(response.content) == f"https://delegation.example.org/d/{delegation.slug}/register/"


@override_settings(SITE_URL="https://delegation.example.org")
def test_qr_png_view_with_source(client, delegation):
    response = client.get(f"/d/{delegation.slug}/qr.png?src=poster&size=300")

    assert decode_png(response.content) == f"https://delegation.example.org/d/{delegation.slug}/register/?src=poster"


@pytest.mark.parametrize("query", ["size=abc", "size=-5", "size=1e9", "size=99999999999", "src=%3Cx%3E", "src=" + "a" * 100])
def test_qr_png_bad_parameters_are_400(client, delegation, query):
    assert client.get(f"/d/{delegation.slug}/qr.png?{query}").status_code == 400


def test_qr_png_huge_size_is_clamped(client, delegation):
    response = client.get(f"/d/{delegation.slug}/qr.png?size=50000")

    assert response.status_code == 200
    assert Image.open(io.BytesIO(response.content)).size[0] <= 2048


def test_qr_svg_view_is_valid_xml(client, delegation):
    response = client.get(f"/d/{delegation.slug}/qr.svg?src=article")

    root = ElementTree.fromstring(response.content)
    assert response["Content-Type"] == "image/svg+xml"
    assert root.tag.endswith("svg")


def test_qr_svg_bytes_draws_a_path():
    svg = qr.svg_bytes("https://example.com/abc")
    root = ElementTree.fromstring(svg)
    assert root.tag.endswith("svg")
    assert any(element.tag.endswith("path") for element in root.iter())
