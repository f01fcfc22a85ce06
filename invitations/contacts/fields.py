"""The columns an import reads into a contact: their names in a header, and each cell checked
as the contact form would check it, with a message an organizer can act on."""

import functools
import re

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import EmailValidator
from django.utils.translation import get_language_info, gettext_lazy, override
from django.utils.translation import gettext as _
from django_countries import countries

from ..models import Contact
from .services import normalized_email, split_tags

# Each field an import can fill, with its label and the header names that mean it (compared
# without case, spaces or punctuation).
IMPORT_FIELDS = {
    "email": (gettext_lazy("Email"), ["email", "e-mail", "email address", "mail", "courriel",
                                      "correo", "correo electrónico", "e-mail address"]),
    "honorific": (gettext_lazy("Honorific"), ["honorific", "title", "salutation", "civilité",
                                              "prefix"]),
    "first_name": (gettext_lazy("First name"), ["first name", "firstname", "given name",
                                                "forename", "prénom", "nombre"]),
    "last_name": (gettext_lazy("Last name"), ["last name", "lastname", "surname", "family name",
                                              "nom", "apellido", "apellidos"]),
    "position": (gettext_lazy("Position"), ["position", "job title", "function", "fonction",
                                            "role", "cargo"]),
    "organization_name": (gettext_lazy("Organization"), ["organization", "organisation",
                          "organization name", "organisation name", "institution", "company",
                          "mission", "entity", "organismo"]),
    "country": (gettext_lazy("Country"), ["country", "pays", "país", "country code", "nation"]),
    "language": (gettext_lazy("Language"), ["language", "preferred language", "langue",
                                            "idioma"]),
    "tags": (gettext_lazy("Tags"), ["tags", "tag", "labels", "groups", "étiquettes"]),
}  # fmt: skip
MAX_LENGTHS = {
    name: Contact._meta.get_field(name).max_length for name in IMPORT_FIELDS if name != "tags"
}
TAG_MAX_LENGTH = 50


@functools.lru_cache(maxsize=4096)
def _domain_is_valid(domain_part) -> bool:
    return EmailValidator().validate_domain_part(domain_part)


class _EmailValidator(EmailValidator):
    """Django's check, remembering the domains it has seen: a file's addresses share a few."""

    def validate_domain_part(self, domain_part):
        return _domain_is_valid(domain_part)


validate_email = _EmailValidator()


def _key(text) -> str:
    return re.sub(r"[\W_]+", "", str(text).casefold())


_ALIASES = {_key(alias): field for field, (_label, aliases) in IMPORT_FIELDS.items()
            for alias in aliases}  # fmt: skip


def field_choices():
    return [(name, label) for name, (label, _aliases) in IMPORT_FIELDS.items()]


def header_matches(cells) -> dict[int, str]:
    """{column index: field} for the header cells that name a known field (first one wins)."""
    found = {}
    for index, cell in enumerate(cells):
        field = _ALIASES.get(_key(cell))
        if field and field not in found.values():
            found[index] = field
    return found


def guess_mapping(columns) -> dict[str, int]:
    """{field: column index} read from the header's names."""
    return {field: index for index, field in header_matches(columns).items()}


def check_mapping(mapping, columns) -> dict[str, int]:
    """The mapping with its indexes as ints, or a ValidationError on `mapping` saying what is
    wrong with it."""
    cleaned = {}
    for field, index in mapping.items():
        if field not in IMPORT_FIELDS:
            raise ValidationError({"mapping": _("“%(field)s” is not a contact field.")
                                   % {"field": field}})  # fmt: skip
        try:
            index = int(index)
        except (TypeError, ValueError):
            index = -1
        if not 0 <= index < len(columns):
            raise ValidationError({"mapping": _("Choose a column of the file for each field.")})
        cleaned[field] = index
    if "email" not in cleaned:
        raise ValidationError(
            {"mapping": _("Choose the column that holds the email addresses.")}, code="required"
        )
    taken = {}
    for field, index in cleaned.items():
        if index in taken:
            raise ValidationError(
                {"mapping": _("The column “%(column)s” is chosen for both %(a)s and %(b)s.")
                 % {"column": columns[index] or index + 1, "a": IMPORT_FIELDS[taken[index]][0],
                    "b": IMPORT_FIELDS[field][0]}}
            )  # fmt: skip
        taken[index] = field
    return cleaned


def _language_names():
    names = {}
    for code, label in settings.LANGUAGES:
        with override("en"):
            english = str(label)
        info = get_language_info(code)
        for name in (code, code.split("-")[0], english, info["name"], info["name_local"]):
            names.setdefault(_key(name), code)
    return names


class RowCleaner:
    """Turns a row's cells into a contact's values, or says which fields are wrong and why."""

    def __init__(self, mapping: dict[str, int]):
        self.mapping = mapping
        self._countries = {}
        self._languages = _language_names()

    def clean(self, cells) -> tuple[dict, list[tuple[str, str]]]:
        values, errors = {}, []
        for field, index in self.mapping.items():
            raw = cells[index].strip() if index < len(cells) else ""
            try:
                values[field] = getattr(self, f"_clean_{field}", self._clean_text)(field, raw)
            except ValidationError as error:
                errors.append((field, error.messages[0]))
        return values, errors

    def _clean_text(self, field, raw):
        raw = " ".join(raw.split())
        if len(raw) > MAX_LENGTHS[field]:
            raise ValidationError(
                _("Longer than %(max)d characters.") % {"max": MAX_LENGTHS[field]}
            )
        return raw

    def _clean_email(self, field, raw):
        if not raw:
            raise ValidationError(_("No email address in this row."))
        email = normalized_email(raw)
        try:
            validate_email(email)
        except ValidationError:
            raise ValidationError(
                _("“%(email)s” is not an email address.") % {"email": raw}
            ) from None
        return self._clean_text(field, email)

    def _clean_country(self, field, raw):
        if not raw:
            return ""
        if raw not in self._countries:
            code = raw.upper() if len(raw) == 2 and raw.upper() in countries else ""
            code = code or countries.alpha2(raw) or countries.by_name(raw)
            self._countries[raw] = code
        if not self._countries[raw]:
            raise ValidationError(
                _("“%(value)s” is not a country: use its English name or its two-letter code.")
                % {"value": raw}
            )
        return self._countries[raw]

    def _clean_language(self, field, raw):
        if not raw:
            return ""
        code = self._languages.get(_key(raw))
        if code is None:
            raise ValidationError(
                _("“%(value)s” is not one of the languages Plenary writes in: %(languages)s.")
                % {"value": raw, "languages": ", ".join(code for code, _n in settings.LANGUAGES)}
            )
        return code

    def _clean_tags(self, field, raw):
        tags = split_tags(raw)
        if any(len(tag) > TAG_MAX_LENGTH for tag in tags):
            raise ValidationError(
                _("A tag is longer than %(max)d characters.") % {"max": TAG_MAX_LENGTH}
            )
        return tags
