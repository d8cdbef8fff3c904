"""Languages of the site and of delegation content.

A piece of content (a delegation's title, a sector's name, an itinerary item's hosts...) is stored
once per language in plain fields: ``title`` holds the English text (required, and the fallback),
``title_zh_hans`` and ``title_ko`` the translations, which may be left empty. Pages read
``obj.local.title``: the text in the active language, or the English text when that translation is
empty.
"""

from datetime import datetime

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.formats import date_format, time_format
from django.utils.text import format_lazy
from django.utils.translation import get_language, get_supported_language_variant, gettext
from django.utils.translation import gettext_lazy as _

FALLBACK_LANGUAGE = "en"

# Language code -> suffix of its content field. English is the plain field (no suffix).
CONTENT_LANGUAGES = {
    "zh-hans": ("zh_hans", _("Simplified Chinese")),
    "ko": ("ko", _("Korean")),
}


def supported_language(code: str | None) -> str:
    """The site language closest to ``code`` ("zh-CN" -> "zh-hans"); the default language when none fits."""
    try:
        return get_supported_language_variant((code or "").lower())
    except LookupError:
        return settings.LANGUAGE_CODE


def translated(field: models.Field) -> tuple[models.Field, ...]:
    """Optional copies of an English content field, one per other language (Chinese, then Korean)."""
    copies = []
    for _suffix, language_name in CONTENT_LANGUAGES.values():
        _name, _path, args, kwargs = field.deconstruct()
        kwargs.pop("help_text", None)
        kwargs.update(blank=True, verbose_name=format_lazy("{} ({})", field.verbose_name, language_name))
        copies.append(field.__class__(*args, **kwargs))
    return tuple(copies)


def field_name(field: str, language: str) -> str:
    """The model field holding ``field`` in ``language``: "title_zh_hans", or "title" for English."""
    suffix = CONTENT_LANGUAGES.get(supported_language(language), (None,))[0]
    return f"{field}_{suffix}" if suffix else field


def translation_fields(field: str) -> tuple[str, ...]:
    """``field`` followed by its translations: ("title", "title_zh_hans", "title_ko")."""
    return (field, *(f"{field}_{suffix}" for suffix, _language_name in CONTENT_LANGUAGES.values()))


def localized(obj: models.Model, field: str, language: str | None = None) -> str:
    """``field`` of ``obj`` in ``language`` (default: the active one); the English text when that is empty."""
    value = getattr(obj, field_name(field, language or get_language() or FALLBACK_LANGUAGE))
    return value or getattr(obj, field)


class Localized:
    """Attribute access to an object's content in the active language, for templates: ``delegation.local.title``."""

    def __init__(self, obj: models.Model):
        self._obj = obj

    def __getattr__(self, field: str) -> str:
        if field.startswith("_") or field not in type(self._obj).TRANSLATED_FIELDS:
            raise AttributeError(field)
        return localized(self._obj, field)


class TranslatedContent:
    """Mixin for models with content in several languages; list the English fields in TRANSLATED_FIELDS."""

    TRANSLATED_FIELDS: tuple[str, ...] = ()

    @property
    def local(self) -> Localized:
        return Localized(self)


def content_fieldsets(fields: tuple[str, ...], *, classes: tuple[str, ...] = ()) -> list[tuple]:
    """Admin fieldsets for content: English (the fallback) first, then one per translation."""
    english = (_("Text in English (shown when a translation is empty)"), {"fields": list(fields), "classes": list(classes)})
    return [
        english,
        *[
            (
                format_lazy(_("Text in {language}"), language=language_name),
                {"fields": [f"{field}_{suffix}" for field in fields], "classes": list(classes)},
            )
            for suffix, language_name in CONTENT_LANGUAGES.values()
        ],
    ]


def day_text(moment) -> str:
    """The day of a moment (or a date) in Korea, in the active language: "13 April", "4月13日", "4월 13일"."""
    return date_format(timezone.localtime(moment) if isinstance(moment, datetime) else moment, "MONTH_DAY_FORMAT")


def clock_text(moment) -> str:
    """The time of day of a moment in Korea, in the active language: "09:30", "오후 11:59"."""
    return time_format(timezone.localtime(moment), "TIME_FORMAT")


def day_and_time_text(moment) -> str:
    """Day and time of a moment in Korea, in the active language: "4月13日 09:30", "4월 13일 오후 11:59"."""
    return gettext("%(day)s, %(time)s") % {"day": day_text(moment), "time": clock_text(moment)}
