"""CI's catalogue check fails on what would reach a reader wrong: a missing language, an
untranslated or fuzzy entry, a lost placeholder, msgids out of step with the code."""

from django.utils import translation

from scripts.check_catalogues import catalogue_problems, check, placeholders
from scripts.compile_catalogues import compile_catalogues
from tests.catalogues import write_catalogue

SOURCE = {
    ("", "When"),
    ("", "Confirmed: {event_title}"),
    ("", "Dear %(name)s"),
    ("", ("%(count)s seat", "%(count)s seats")),
}
COMPLETE = """msgid "When"
msgstr "Quand"

msgid "Confirmed: {event_title}"
msgstr "Confirmé : {event_title}"

#, python-format
msgid "Dear %(name)s"
msgstr "Cher %(name)s"

#, python-format
msgid "%(count)s seat"
msgid_plural "%(count)s seats"
msgstr[0] "%(count)s place"
msgstr[1] "%(count)s places"

"""


def test_a_complete_catalogue_in_step_with_the_code_passes(tmp_path):
    assert catalogue_problems(write_catalogue(tmp_path, "fr", COMPLETE), SOURCE) == []


def test_an_untranslated_entry_fails(tmp_path):
    po = write_catalogue(tmp_path, "fr", COMPLETE.replace('msgstr "Quand"', 'msgstr ""'))
    assert catalogue_problems(po, SOURCE) == ["fr/LC_MESSAGES/django.po: untranslated: 'When'"]


def test_an_untranslated_plural_form_fails(tmp_path):
    po = write_catalogue(
        tmp_path, "fr", COMPLETE.replace('msgstr[1] "%(count)s places"', 'msgstr[1] ""')
    )
    assert catalogue_problems(po, SOURCE) == [
        "fr/LC_MESSAGES/django.po: untranslated: '%(count)s seat'"
    ]


def test_a_fuzzy_entry_fails(tmp_path):
    po = write_catalogue(tmp_path, "fr", COMPLETE.replace('msgid "When"', '#, fuzzy\nmsgid "When"'))
    assert catalogue_problems(po, SOURCE) == ["fr/LC_MESSAGES/django.po: fuzzy: 'When'"]


def test_a_lost_python_format_placeholder_fails(tmp_path):
    po = write_catalogue(tmp_path, "fr", COMPLETE.replace('"Cher %(name)s"', '"Cher collègue"'))
    [problem] = catalogue_problems(po, SOURCE)
    assert "placeholders differ in 'Dear %(name)s'" in problem


def test_a_renamed_brace_placeholder_fails(tmp_path):
    po = write_catalogue(
        tmp_path, "fr", COMPLETE.replace("Confirmé : {event_title}", "Confirmé : {titre}")
    )
    [problem] = catalogue_problems(po, SOURCE)
    assert "placeholders differ in 'Confirmed: {event_title}'" in problem


def test_a_plural_form_may_drop_the_count_but_not_invent_a_placeholder(tmp_path):
    dropped = COMPLETE.replace('msgstr[0] "%(count)s place"', 'msgstr[0] "une place"')
    assert catalogue_problems(write_catalogue(tmp_path, "fr", dropped), SOURCE) == []
    invented = COMPLETE.replace('msgstr[0] "%(count)s place"', 'msgstr[0] "%(n)s place"')
    [problem] = catalogue_problems(write_catalogue(tmp_path, "fr", invented), SOURCE)
    assert "unknown placeholders in plural form 0" in problem


def test_msgids_out_of_step_with_the_code_are_listed_new_and_obsolete(tmp_path):
    po = write_catalogue(tmp_path, "fr", COMPLETE)
    source = (SOURCE - {("", "When")}) | {("", "Where")}
    assert catalogue_problems(po, source) == [
        "fr/LC_MESSAGES/django.po: new in the code, not in the catalogue: 'Where'",
        "fr/LC_MESSAGES/django.po: obsolete, no longer in the code: 'When'",
    ]


def test_every_language_but_english_needs_its_catalogue(tmp_path):
    write_catalogue(tmp_path, "fr", COMPLETE)
    problems = check(tmp_path, ["en", "fr", "zh-hans"], SOURCE)
    assert problems == [f"{tmp_path}/zh_Hans/LC_MESSAGES/django.po: missing"]


def test_placeholders_ignore_a_literal_percent():
    assert placeholders("100%% of %(name)s, %s", python_format=True) == ["%(name)", "%s"]


def test_compiled_catalogues_are_what_django_reads(tmp_path, settings):
    write_catalogue(tmp_path, "fr", COMPLETE + '#, fuzzy\nmsgid "Where"\nmsgstr "Où"\n')
    assert [p.name for p in compile_catalogues(tmp_path)] == ["django.mo"]
    settings.LOCALE_PATHS = [str(tmp_path)]
    with translation.override("fr"):
        assert translation.gettext("When") == "Quand"
        assert translation.gettext("Where") == "Where"  # fuzzy entries are not compiled
        assert translation.ngettext("%(count)s seat", "%(count)s seats", 3) == "%(count)s places"


def test_compiling_with_no_catalogues_yet_writes_nothing(tmp_path):
    assert compile_catalogues(tmp_path / "locale") == []


def test_extraction_reads_the_codes_msgids_and_writes_nothing_into_locale():
    from scripts.check_catalogues import ROOT, extract_source_keys

    before = sorted(ROOT.glob("locale/**/*"))
    keys = extract_source_keys()

    assert ("", "Skip to content") in keys  # templates/base.html
    assert ("", "Confirmed: {event_title}") in keys  # registration/emails.py
    assert ("", "Page not found") in keys
    assert sorted(ROOT.glob("locale/**/*")) == before
