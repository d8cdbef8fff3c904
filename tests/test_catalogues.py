"""The translation catalogues are complete and compiled: every string in the code has a Chinese and a
Korean translation, none empty or fuzzy, placeholders intact, and the committed .mo files match the .po
files. When this fails: `make messages`, fill the empty msgstr, `make compile`."""

import pytest
from babel.messages.catalog import Catalog

from registrations.core import catalogue

LANGUAGES = ["zh_Hans", "ko"]


@pytest.fixture(scope="module")
def template() -> Catalog:
    return catalogue.extract_messages()


def test_catalogue_languages_are_the_site_languages_but_english():
    assert catalogue.catalogue_languages() == LANGUAGES


def test_extraction_finds_python_and_template_strings(template):
    ids = {message.id if isinstance(message.id, str) else message.id[0] for message in template if message.id}

    assert "Cancel selected registrations (the seat goes to the waiting list)" in ids  # admin action (Python)
    assert "Register for the delegation" in ids  # {% translate %}
    assert "%(left)s seat left of %(seats)s" in ids  # {% blocktranslate count %}
    assert "Please tick this box so that we may process your registration." in ids  # form
    assert not any("tests/" in location for message in template for location, _line in message.locations)


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_string_in_the_code_is_in_the_catalogue(template, language):
    assert catalogue.missing(catalogue.read_catalogue(language), template) == []


@pytest.mark.parametrize("language", LANGUAGES)
def test_catalogue_has_no_empty_or_fuzzy_translation(language):
    entries = catalogue.read_catalogue(language)

    assert len([message for message in entries if message.id]) >= 150
    assert catalogue.untranslated(entries) == []
    assert catalogue.fuzzy(entries) == []


@pytest.mark.parametrize("language", LANGUAGES)
def test_translations_keep_the_placeholders(language):
    assert catalogue.format_errors(catalogue.read_catalogue(language)) == []


@pytest.mark.parametrize("language", LANGUAGES)
def test_compiled_catalogue_matches_the_po_file(language):
    assert catalogue.compiled_differences(language) == []


def test_checks_catch_what_they_are_for(template):
    broken = Catalog(locale="ko")
    broken.add("Register", "")
    broken.add(("%(count)d person", "%(count)d people"), ("",))
    broken.add("Cancel", "취소", flags=["fuzzy"])
    broken.add("%(title)s is full", "%(titel)s 마감")

    assert catalogue.untranslated(broken) == ["Register", "%(count)d person"]
    assert catalogue.fuzzy(broken) == ["Cancel"]
    assert len(catalogue.format_errors(broken)) == 1
    assert "Register for the delegation" in catalogue.missing(broken, template)


def test_compiled_check_sees_a_po_edit_that_was_not_compiled(settings, tmp_path):
    settings.LOCALE_PATHS = [tmp_path]
    po = catalogue.po_path("ko")
    po.parent.mkdir(parents=True)
    po.write_text('msgid ""\nmsgstr "Content-Type: text/plain; charset=utf-8\\n"\n\nmsgid "Register"\nmsgstr "등록"\n', encoding="utf-8")
    catalogue.compile_catalogues()
    assert catalogue.compiled_differences("ko") == []

    po.write_text(po.read_text(encoding="utf-8").replace("등록", "등록하기"), encoding="utf-8")

    assert catalogue.compiled_differences("ko") == ["'Register'"]
