"""System checks run by `manage.py check --deploy` (and before gunicorn starts, deploy/delegation.service)."""

from django.conf import settings
from django.core import checks

CONSOLE_BACKEND = "django.core.mail.backends.console.EmailBackend"


@checks.register(checks.Tags.security, deploy=True)
def email_not_printed_in_production(app_configs, **kwargs) -> list[checks.CheckMessage]:
    """With DEBUG off, e-mails (private links, personal details) go to the server log only when asked for."""
    if settings.DEBUG or settings.EMAIL_BACKEND != CONSOLE_BACKEND or getattr(settings, "EMAIL_CONSOLE_CHOSEN", False):
        return []
    return [
        checks.Error(
            "DJANGO_DEBUG is off and EMAIL_HOST is not set: every e-mail (private links, personal details) "
            "would be printed to the server log instead of being sent.",
            hint="Set EMAIL_HOST (and EMAIL_PORT, EMAIL_USE_SSL or EMAIL_USE_TLS, EMAIL_HOST_USER, EMAIL_HOST_PASSWORD) "
            "to send through SMTP, or EMAIL_BACKEND=console to print them on purpose (local `make serve` only).",
            id="registrations.E001",
        )
    ]


@checks.register(checks.Tags.security, deploy=True)
def travel_document_keys_set(app_configs, **kwargs) -> list[checks.CheckMessage]:
    """With DEBUG off, passport details can only be stored encrypted with a key from the environment."""
    from registrations.core.travel_crypto import keys_error

    error = keys_error()
    if settings.DEBUG and not settings.TRAVEL_DOCUMENT_KEYS:
        return []
    if error is None:
        return []
    return [
        checks.Error(
            f"TRAVEL_DOCUMENT_KEYS: {error}",
            hint="Set TRAVEL_DOCUMENT_KEYS to one or more Fernet keys, comma-separated (the first encrypts). "
            "Generate one with: python -c 'from cryptography.fernet import Fernet; print(Fernet.generate_key().decode())'",
            id="registrations.E010",
        )
    ]


@checks.register(checks.Tags.compatibility, deploy=True)
def pdf_font_present(app_configs, **kwargs) -> list[checks.CheckMessage]:
    """Letters, badges and lists are PDFs with an embedded font read from a local file."""
    from registrations.documents.pdf import PdfFontMissing, font_files

    try:
        font_files()
    except PdfFontMissing as error:
        return [
            checks.Error(
                str(error),
                hint="apt-get install fonts-noto-cjk (Debian, Ubuntu), or set PDF_FONT_FILE (and PDF_FONT_BOLD_FILE).",
                id="registrations.E020",
            )
        ]
    return []
