"""Tiny catalogues compiled into a temporary LOCALE_PATHS, so tests see real translated strings
without depending on the translators' catalogues."""

from pathlib import Path

import pytest

from scripts.compile_catalogues import compile_catalogues

HEADER = """msgid ""
msgstr ""
"Content-Type: text/plain; charset=UTF-8\\n"
"Language: {language}\\n"
"Plural-Forms: {plural_forms}\\n"

"""

PLURAL_FORMS = {
    "ar": "nplurals=6; plural=(n==0 ? 0 : n==1 ? 1 : n==2 ? 2 : n%100>=3 && n%100<=10 ? 3 : "
    "n%100>=11 ? 4 : 5);",
    "ru": "nplurals=3; plural=(n%10==1 && n%100!=11 ? 0 : n%10>=2 && n%10<=4 && "
    "(n%100<10 || n%100>=20) ? 1 : 2);",
    "fr": "nplurals=2; plural=(n > 1);",
}

# A few strings from the pages and the confirmation email, as translators would write them.
TRANSLATIONS = {
    "ar": {
        "When": "متى",
        "Confirmed: {event_title}": "تأكيد: {event_title}",
        "Events": "الفعاليات",
        "Page not found": "الصفحة غير موجودة",
    },
    "ru": {
        "When": "Когда",
        "Confirmed: {event_title}": "Подтверждено: {event_title}",
        "Events": "Мероприятия",
        "Page not found": "Страница не найдена",
    },
    "fr": {"When": "Quand", "Events": "Événements"},
}


def write_catalogue(locale_dir: Path, language: str, entries: str) -> Path:
    po_path = locale_dir / language / "LC_MESSAGES" / "django.po"
    po_path.parent.mkdir(parents=True, exist_ok=True)
    header = HEADER.format(
        language=language, plural_forms=PLURAL_FORMS.get(language, "nplurals=2; plural=(n != 1);")
    )
    po_path.write_text(header + entries, encoding="utf-8")
    return po_path


def po_entries(translations: dict) -> str:
    return "".join(
        f'msgid "{msgid}"\nmsgstr "{msgstr}"\n\n' for msgid, msgstr in translations.items()
    )


@pytest.fixture
def catalogues(tmp_path, settings):
    """Compiled ar, ru and fr catalogues with TRANSLATIONS, as LOCALE_PATHS."""
    locale_dir = tmp_path / "locale"
    for language, translations in TRANSLATIONS.items():
        write_catalogue(locale_dir, language, po_entries(translations))
    compile_catalogues(locale_dir)
    settings.LOCALE_PATHS = [str(locale_dir)]
    return locale_dir


@pytest.fixture
def no_catalogues(tmp_path, settings):
    """No catalogue at all, as before the translators' work lands."""
    settings.LOCALE_PATHS = [str(tmp_path / "empty")]
