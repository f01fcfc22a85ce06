"""Checks for what people type about themselves: names, organizations, positions, addresses.

They live in `events`, the lowest app, so registration, invitations and the API share them.
What passes them can always be written into an email header and sent: a name with a line
break or a bidi override would be accepted and then fail to send (or display reversed), an
address at `localhost` or `[127.0.0.1]` would be queued for a mail server that refuses it.

Names are text of every script: letters with their combining marks, spaces, punctuation and
symbols. Refused are control characters (Unicode Cc: line breaks, tabs, NUL), format characters
(Cf: bidi overrides such as U+202E, zero-width spaces, soft hyphens, tags), line and paragraph
separators, surrogates, private-use and unassigned code points. One exception, explicitly: the
zero-width non-joiner and joiner (U+200C, U+200D) are part of correct spelling in Arabic-script
languages such as Persian and in the Indic scripts, so they are allowed between two letters or
marks of one of those scripts, and nowhere else. A name must also show something: at least one
letter, digit, punctuation mark or symbol that is not a blank filler.
"""

import unicodedata

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import EmailValidator
from django.utils.translation import gettext_lazy as _

ZWNJ, ZWJ = "\u200c", "\u200d"
# Scripts whose spelling uses the joiners, by the first word of their characters' Unicode names.
JOINING_SCRIPTS = frozenset(
    {
        "ARABIC",
        "DEVANAGARI",
        "BENGALI",
        "GURMUKHI",
        "GUJARATI",
        "ORIYA",
        "TAMIL",
        "TELUGU",
        "KANNADA",
        "MALAYALAM",
        "SINHALA",
    }
)
# Letters and symbols that draw nothing, so a name made of them looks empty.
BLANK_FILLERS = frozenset("\u115f\u1160\u3164\uffa0\u2800\u034f")
# Names that never reach a mailbox on the internet (RFC 6761, RFC 6762).
RESERVED_HOST_TLDS = frozenset({"localhost", "invalid", "local"})
REFUSED_CATEGORIES = frozenset({"Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp"})
VISIBLE_CATEGORIES = frozenset("LNPS")

NAME_MESSAGE = _(
    "Remove the invisible or control characters (such as line breaks or text direction marks)."
)
ENCODED_WORD_MESSAGE = _("Remove the “=?” and “?=” marks from the name.")
EMPTY_NAME_MESSAGE = _("Enter a name with visible letters.")
EMAIL_MESSAGE = _("Enter an email address like name@example.org.")
EMAIL_DOMAIN_MESSAGE = _("Enter an email address at a real domain, like name@example.org.")


def _script(character):
    return unicodedata.name(character, "").partition(" ")[0]


def _joiner_is_spelling(text, index):
    """A joiner between two letters or marks of one script that spells with joiners."""
    if index == 0 or index == len(text) - 1:
        return False
    before, after = text[index - 1], text[index + 1]
    if unicodedata.category(before)[0] not in "LM" or unicodedata.category(after)[0] not in "LM":
        return False
    script = _script(before)
    return script in JOINING_SCRIPTS and _script(after) == script


def refused_characters(text: str) -> list[str]:
    """The characters of `text` that a name may not contain, as U+XXXX codes, in order."""
    if text.isprintable():  # the common case: no Cc, Cf, Zl, Zp, Cs or Cn at all
        return []
    refused = []
    for index, character in enumerate(text):
        if unicodedata.category(character) not in REFUSED_CATEGORIES and character.isprintable():
            continue
        if character == " " or unicodedata.category(character) == "Zs":
            continue  # spaces other than U+0020 are "not printable" but harmless in a name
        if character in (ZWNJ, ZWJ) and _joiner_is_spelling(text, index):
            continue
        refused.append(f"U+{ord(character):04X}")
    return refused


def validate_text_line(value):
    """One line of plain text with no control or invisible format characters."""
    if value and refused_characters(value):
        raise ValidationError(NAME_MESSAGE, code="invisible_characters")


def validate_name(value):
    """A person's or an organization's name, a position, an honorific: one visible line."""
    if not value:
        return
    validate_text_line(value)
    if "=?" in value and "?=" in value:
        # Mail programs decode an RFC 2047 encoded word even inside a quoted display name, so
        # "=?utf-8?q?ceo=40example.org?=" would be shown as another address.
        raise ValidationError(ENCODED_WORD_MESSAGE, code="encoded_word")
    if not any(
        unicodedata.category(character)[0] in VISIBLE_CATEGORIES and character not in BLANK_FILLERS
        for character in value
    ):
        raise ValidationError(EMPTY_NAME_MESSAGE, code="invisible_name")


class RealDomainEmailValidator(EmailValidator):
    """An address mail can be sent to on the internet: a plain (unquoted) mailbox at a domain
    name with a dot, never `localhost`, a dotless host or an IP literal such as [127.0.0.1]."""

    message = EMAIL_MESSAGE
    code = "invalid"

    def __init__(self):
        super().__init__(allowlist=[])

    def __call__(self, value):
        super().__call__(value)
        local, _at, domain = value.rpartition("@")
        if local.startswith('"'):
            raise ValidationError(self.message, code=self.code, params={"value": value})
        domain = domain.rstrip(".").lower()
        labels = domain.split(".")
        if (
            domain.startswith("[")
            or len(labels) < 2
            or labels[-1].isdigit()
            or labels[-1] in RESERVED_HOST_TLDS
        ):
            raise ValidationError(EMAIL_DOMAIN_MESSAGE, code="invalid_domain")


validate_email_address = RealDomainEmailValidator()


def validate_language(value):
    """One of the languages Plenary speaks (settings.LANGUAGES)."""
    if value and value not in {code for code, _name in settings.LANGUAGES}:
        raise ValidationError(
            _("Choose one of the languages: %(codes)s."),
            code="invalid_language",
            params={"codes": ", ".join(code for code, _name in settings.LANGUAGES)},
        )


# Before the 1970s some time zones still had local mean time, offsets with seconds (New York was
# -04:56:02 until 1883), which no ISO 8601 offset can carry; no event is planned that far out.
EARLIEST_YEAR, LATEST_YEAR = 1980, 2999


def datetime_errors(instance, names) -> dict:
    """Errors by field for datetimes outside the years an event can take place in."""
    message = _("Choose a date between %(earliest)d and %(latest)d.") % {
        "earliest": EARLIEST_YEAR,
        "latest": LATEST_YEAR,
    }
    return {
        name: [message]
        for name in names
        if (value := getattr(instance, name, None)) is not None
        and not EARLIEST_YEAR <= value.year <= LATEST_YEAR
    }


def line_errors(instance, names) -> dict:
    """Errors by field for titles and labels: one line, no control or format characters."""
    errors = {}
    for name in names:
        try:
            validate_text_line(getattr(instance, name, ""))
        except ValidationError as error:
            errors[name] = error.messages
    return errors


def person_errors(instance, *, names=(), email_fields=(), languages=()) -> dict:
    """Errors by field for a model's clean(): each of `names` a visible line of text, each of
    `email_fields` a deliverable address, each of `languages` one Plenary speaks."""
    errors = {}
    checks = [
        *((name, validate_name) for name in names),
        *((name, validate_email_address) for name in email_fields),
        *((name, validate_language) for name in languages),
    ]
    for field, check in checks:
        value = getattr(instance, field, "")
        if not value:
            continue
        try:
            check(value)
        except ValidationError as error:
            errors[field] = error.messages
    return errors
