"""Pure functions: text -> QR code bytes (PNG or SVG)."""

import io

import qrcode
import qrcode.image.svg
from qrcode.constants import ERROR_CORRECT_M

BORDER = 4  # the quiet zone the QR specification asks for, in modules
MIN_SIZE, DEFAULT_SIZE, MAX_SIZE = 128, 512, 2048


def clamp_size(size: int) -> int:
    return max(MIN_SIZE, min(MAX_SIZE, size))


def _qr(text: str) -> qrcode.QRCode:
    code = qrcode.QRCode(error_correction=ERROR_CORRECT_M, border=BORDER, box_size=1)
    code.add_data(text)
    code.make(fit=True)
    return code


def png_bytes(text: str, *, size: int = DEFAULT_SIZE) -> bytes:
    """A black-on-white PNG about ``size`` pixels wide (whole pixels per module)."""
    code = _qr(text)
    modules = code.modules_count + 2 * BORDER
    code.box_size = max(2, clamp_size(size) // modules)
    buffer = io.BytesIO()
    code.make_image(fill_color="black", back_color="white").save(buffer, format="PNG")
    return buffer.getvalue()


def svg_bytes(text: str) -> bytes:
    """A scalable SVG (one path), for print."""
    code = _qr(text)
    code.box_size = 10
    buffer = io.BytesIO()
    code.make_image(image_factory=qrcode.image.svg.SvgPathFillImage).save(buffer)
    return buffer.getvalue()


def matrix(text: str) -> list[list[bool]]:
    """The modules of the QR code, quiet zone included (True: dark), for drawing it as vector squares."""
    return _qr(text).get_matrix()
