"""The project's translation catalogues, handled with Babel (pip) so that no GNU gettext is needed.

``make messages`` extracts every marked string (``gettext``/``_``/``ngettext``/``pgettext`` in Python,
``{% translate %}``/``{% blocktranslate %}`` in templates) and merges it into
``locale/<language>/LC_MESSAGES/django.po``; a translator fills the empty ``msgstr``; ``make compile``
writes the ``.mo`` files Django reads (committed, so a fresh clone needs no tool).
``tests/test_catalogues.py`` fails when a string is missing, untranslated, fuzzy or not compiled.
"""

import io
from collections.abc import Iterator
from pathlib import Path

from babel.messages.catalog import Catalog, Message
from babel.messages.extract import extract
from babel.messages.mofile import read_mo, write_mo
from babel.messages.pofile import read_po, write_po
from django.conf import settings
from django.utils.translation import to_locale
from django.utils.translation.template import templatize

DOMAIN = "django"
PROJECT = "Incheon Tech Week delegation"
HEADER = dict(
    project=PROJECT,
    version="1",
    copyright_holder="AsianFin Global Business Leaders Club",
    msgid_bugs_address="",
    last_translator="The delegation team",
    language_team="The delegation team",
    fuzzy=False,
)
HEADER_COMMENT = "# {language} translations of the {project}.\n# Update with `make messages`, fill every empty msgstr, then `make compile`."

# Babel's keyword specs: argument positions of the message (and "c" for the context).
KEYWORDS = {
    "_": None,
    "gettext": None,
    "gettext_lazy": None,
    "gettext_noop": None,
    "ngettext": (1, 2),
    "ngettext_lazy": (1, 2),
    "pgettext": ((1, "c"), 2),
    "pgettext_lazy": ((1, "c"), 2),
    "npgettext": ((1, "c"), 2, 3),
    "npgettext_lazy": ((1, "c"), 2, 3),
}
SKIPPED_DIRECTORIES = {".git", ".venv", "venv", "node_modules", "tests", "migrations", "static", "staticfiles", "locale", "docs"}
TEMPLATE_SUFFIXES = {".html", ".txt"}


def catalogue_languages() -> list[str]:
    """Every site language but the source language (English): ["zh_Hans", "ko"]."""
    return [to_locale(code) for code, _name in settings.LANGUAGES if code != "en"]


def po_path(language: str, suffix: str = ".po") -> Path:
    return Path(settings.LOCALE_PATHS[0]) / language / "LC_MESSAGES" / f"{DOMAIN}{suffix}"


def source_files(root: Path | None = None) -> Iterator[Path]:
    """The project's Python modules and templates, in a stable order (no tests, migrations or vendored code)."""
    root = root or Path(settings.BASE_DIR)
    for path in sorted(root.rglob("*")):
        parts = path.relative_to(root).parts
        if any(part in SKIPPED_DIRECTORIES for part in parts[:-1]) or not path.is_file():
            continue
        if path.suffix == ".py" or (path.suffix in TEMPLATE_SUFFIXES and "templates" in parts):
            yield path


def _messages_in(path: Path) -> Iterator[tuple]:
    source = path.read_text(encoding="utf-8")
    if path.suffix != ".py":
        source = templatize(source, origin=str(path))
    yield from extract("python", io.BytesIO(source.encode("utf-8")), keywords=KEYWORDS, comment_tags=("Translators:",))


def extract_messages() -> Catalog:
    """Every translatable string in the project, as a template catalogue (no translations)."""
    template = Catalog(**HEADER)
    root = Path(settings.BASE_DIR)
    for path in source_files(root):
        relative = path.relative_to(root).as_posix()
        for lineno, message, comments, context in _messages_in(path):
            template.add(message, locations=[(relative, lineno)], auto_comments=comments, context=context)
    return template


def read_catalogue(language: str) -> Catalog:
    path = po_path(language)
    if not path.exists():
        catalogue = Catalog(locale=language, **HEADER)
        catalogue.header_comment = HEADER_COMMENT.format(language=catalogue.locale.english_name, project=PROJECT)
        return catalogue
    with path.open("rb") as handle:
        return read_po(handle, locale=language)


def update_catalogues() -> dict[str, int]:
    """Merge the extracted strings into each .po file; returns how many msgstr are empty per language."""
    template = extract_messages()
    empty = {}
    for language in catalogue_languages():
        catalogue = read_catalogue(language)
        catalogue.update(template, no_fuzzy_matching=True, update_creation_date=False)
        catalogue.obsolete.clear()
        catalogue.fuzzy = False
        path = po_path(language)
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("wb") as handle:
            write_po(handle, catalogue, include_lineno=False, width=100)
        empty[language] = len(untranslated(catalogue))
    return empty


def compile_catalogues() -> list[Path]:
    """Write the .mo file beside each .po file (fuzzy entries left out)."""
    written = []
    for language in catalogue_languages():
        if not po_path(language).exists():
            continue
        catalogue = read_catalogue(language)
        catalogue.fuzzy = False
        with po_path(language, ".mo").open("wb") as handle:
            write_mo(handle, catalogue, use_fuzzy=False)
        written.append(po_path(language, ".mo"))
    return written


# --- Checks (tests/test_catalogues.py) -------------------------------------------------


def _key(message: Message) -> tuple[str, str | None]:
    msgid = message.id[0] if isinstance(message.id, (list, tuple)) else message.id
    return msgid, message.context


def _entries(catalogue: Catalog) -> list[Message]:
    return [message for message in catalogue if message.id]


def missing(catalogue: Catalog, template: Catalog) -> list[str]:
    """Strings in the code that the catalogue does not have."""
    known = {_key(message) for message in _entries(catalogue)}
    return [_key(message)[0] for message in _entries(template) if _key(message) not in known]


def untranslated(catalogue: Catalog) -> list[str]:
    """Entries with an empty msgstr (or an empty plural form)."""
    empty = []
    for message in _entries(catalogue):
        strings = message.string if isinstance(message.string, (list, tuple)) else [message.string]
        if not strings or not all(strings):
            empty.append(_key(message)[0])
    return empty


def fuzzy(catalogue: Catalog) -> list[str]:
    return [_key(message)[0] for message in _entries(catalogue) if message.fuzzy]


def format_errors(catalogue: Catalog) -> list[str]:
    """Translations whose %(name)s placeholders do not match the English (they would fail at run time)."""
    return [f"{_key(message)[0]!r}: {'; '.join(map(str, errors))}" for message, errors in catalogue.check()]


def compiled_differences(language: str) -> list[str]:
    """Entries whose compiled .mo text differs from the .po file (or all of them when there is no .mo)."""
    path = po_path(language, ".mo")
    if not path.exists():
        return [f"{path} does not exist"]
    with path.open("rb") as handle:
        compiled = {_key(message): message.string for message in _entries(read_mo(handle))}
    source = {_key(message): message.string for message in _entries(read_catalogue(language)) if not message.fuzzy}
    keys = set(compiled) | set(source)
    return sorted(repr(key[0]) for key in keys if _normalise(compiled.get(key)) != _normalise(source.get(key)))


def _normalise(string) -> tuple:
    return tuple(string) if isinstance(string, (list, tuple)) else (string,)
