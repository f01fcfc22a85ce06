"""Workspace forms for contacts, lists and imports. They read and check input; the services in
this package decide and save."""

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

from ..models import Contact, ContactList
from .fields import IMPORT_FIELDS, check_mapping
from .services import CONTACT_FIELDS, split_tags


class ServiceErrorsMixin:
    """Show a service's ValidationError on the fields it names, or above the form."""

    def add_service_error(self, error: ValidationError):
        if hasattr(error, "error_dict"):
            for name, messages in error.message_dict.items():
                self.add_error(name if name in self.fields else None, messages)
        else:
            self.add_error(None, error.messages)


class ContactForm(ServiceErrorsMixin, forms.ModelForm):
    tags = forms.CharField(
        label=_("Tags"),
        required=False,
        max_length=500,
        help_text=_("Separated by semicolons, e.g. focal point; G77"),
    )
    lists = forms.ModelMultipleChoiceField(
        label=_("Lists"),
        queryset=ContactList.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = Contact
        fields = list(CONTACT_FIELDS)

    def __init__(self, *args, team, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["lists"].queryset = ContactList.objects.filter(team=team)
        if self.instance.pk:
            self.initial["tags"] = "; ".join(tag.name for tag in self.instance.tags.all())
            self.initial["lists"] = list(self.instance.lists.all())
        self.fields["email"].widget.attrs["autocomplete"] = "off"

    def _post_clean(self):
        """Leave the model's checks to the service, which reports a taken address clearly."""

    def service_fields(self) -> dict:
        data = {name: self.cleaned_data[name] for name in CONTACT_FIELDS}
        data["tags"] = split_tags(self.cleaned_data["tags"])
        data["lists"] = list(self.cleaned_data["lists"])
        return data


class ContactListForm(ServiceErrorsMixin, forms.ModelForm):
    class Meta:
        model = ContactList
        fields = ["name", "description"]
        widgets = {"description": forms.Textarea(attrs={"rows": 2})}

    def _post_clean(self):
        """The service checks the name is free in the team."""


class AddMembersForm(forms.Form):
    emails = forms.CharField(
        label=_("Email addresses of contacts to add"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("One or more, separated by spaces, commas or new lines."),
        max_length=100_000,
    )

    def addresses(self):
        text = self.cleaned_data["emails"].replace(",", " ").replace(";", " ")
        return list(dict.fromkeys(part.strip().lower() for part in text.split() if part.strip()))


class ContactIdsForm(forms.Form):
    """Ticked contacts of a team, and (to add them to one) a list of that team."""

    contacts = forms.ModelMultipleChoiceField(
        queryset=Contact.objects.none(),
        error_messages={"required": _("Tick at least one contact.")},
    )
    contact_list = forms.ModelChoiceField(
        label=_("List"),
        queryset=ContactList.objects.none(),
        required=False,
        empty_label=_("Choose a list"),
    )

    def __init__(self, *args, team, needs_list=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["contacts"].queryset = Contact.objects.filter(team=team)
        self.fields["contact_list"].queryset = ContactList.objects.filter(team=team)
        self.fields["contact_list"].required = needs_list


class ImportUploadForm(forms.Form):
    file = forms.FileField(
        label=_("File"),
        help_text=_(
            "CSV (comma, semicolon or tab separated; UTF-8 or Excel's Windows encoding) or an "
            "Excel workbook (.xlsx), with a header row, up to %(limit)s."
        )
        % {"limit": filesizeformat(settings.CONTACT_IMPORT_MAX_BYTES)},
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.txt,.tsv,.xlsx"}),
    )
    contact_list = forms.ModelChoiceField(
        label=_("Add everyone imported to a list"),
        queryset=ContactList.objects.none(),
        required=False,
        empty_label=_("No list"),
    )

    def __init__(self, *args, team, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["contact_list"].queryset = ContactList.objects.filter(team=team)


class MappingForm(forms.Form):
    """For each contact field, the column of the file that fills it (or none)."""

    contact_list = forms.ModelChoiceField(
        label=_("Add everyone imported to a list"),
        queryset=ContactList.objects.none(),
        required=False,
        empty_label=_("No list"),
    )

    def __init__(self, *args, contact_import, **kwargs):
        super().__init__(*args, **kwargs)
        self.columns = contact_import.columns
        choices = [("", _("— not imported —"))] + [
            (str(index), _column_label(index, name)) for index, name in enumerate(self.columns)
        ]
        for name, (label, _aliases) in IMPORT_FIELDS.items():
            self.fields[f"field_{name}"] = forms.ChoiceField(
                label=label,
                choices=choices,
                required=name == "email",
                error_messages={"required": _("Choose the column that holds the email addresses.")},
            )
            if name in contact_import.mapping:
                self.initial[f"field_{name}"] = str(contact_import.mapping[name])
        self.fields["contact_list"].queryset = ContactList.objects.filter(
            team_id=contact_import.team_id
        )
        self.initial.setdefault("contact_list", contact_import.contact_list_id)
        self.fields = {
            **{key: value for key, value in self.fields.items() if key != "contact_list"},
            "contact_list": self.fields["contact_list"],
        }

    def field_rows(self):
        return [self[f"field_{name}"] for name in IMPORT_FIELDS]

    def clean(self):
        cleaned = super().clean()
        mapping = {
            name: cleaned[f"field_{name}"]
            for name in IMPORT_FIELDS
            if cleaned.get(f"field_{name}") not in (None, "")
        }
        try:
            cleaned["mapping"] = check_mapping(mapping, self.columns)
        except ValidationError as error:
            if "field_email" not in self.errors:
                raise ValidationError(error.message_dict["mapping"]) from None
        return cleaned


def _column_label(index, name):
    return _("Column %(number)d: %(name)s") % {"number": index + 1, "name": name or "—"}
