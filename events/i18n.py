"""Which language a page or email is in, and which way it reads.

A language is right to left only when we can write it: Arabic with no compiled catalogue would
show English text in a mirrored layout, punctuation and times out of order.
"""

import gettext

from django.conf import settings
from django.utils import translation


def has_catalogue(language: str) -> bool:
    """A compiled catalogue (django.mo) for `language` exists in LOCALE_PATHS."""
    locale = translation.to_locale(language)
    return any(
        gettext.find("django", str(path), [locale]) is not None for path in settings.LOCALE_PATHS
    )


def text_direction(language: str | None = None) -> str:
    """'rtl' for a right-to-left language that has a catalogue, else 'ltr'."""
    language = language or translation.get_language() or settings.LANGUAGE_CODE
    try:
        bidi = translation.get_language_info(language)["bidi"]
    except KeyError:
        return "ltr"
    return "rtl" if bidi and has_catalogue(language) else "ltr"


def prefer_language(request, language: str) -> None:
    """Show a private page in its owner's stored language, unless this browser chose one.

    The invitee or registrant told us their language; the switcher's cookie, once set, wins.
    """
    codes = {code for code, _name in settings.LANGUAGES}
    if not language or language not in codes:
        return
    if request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME):
        return
    translation.activate(language)
    request.LANGUAGE_CODE = language
