"""Forms of the organizer's registrants and questions pages."""

from django import forms
from django.forms import modelformset_factory
from django.utils.translation import gettext_lazy as _

from .models import Question, Registration


class BulkActionForm(forms.Form):
    """An action on the registrations ticked on the list page."""

    ACTIONS = [
        ("approve", _("Approve")),
        ("decline", _("Decline")),
        ("cancel", _("Cancel")),
    ]
    # Declining and cancelling send the registrant an email that cannot be taken back.
    NEEDS_CONFIRMATION = {"decline", "cancel"}

    action = forms.ChoiceField(label=_("Action"), choices=ACTIONS)
    registrations = forms.ModelMultipleChoiceField(
        queryset=Registration.objects.none(),
        widget=forms.MultipleHiddenInput,
        error_messages={
            "required": _("Tick at least one registration first."),
            "invalid_choice": _("One of the ticked registrations no longer exists."),
            "invalid_pk_value": _("One of the ticked registrations no longer exists."),
        },
    )
    note = forms.CharField(
        label=_("Message to the registrants"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Included in the email a declined registrant receives."),
    )
    confirmed = forms.BooleanField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, event, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["registrations"].queryset = Registration.objects.filter(event=event)

    @property
    def needs_confirmation(self):
        return (
            self.cleaned_data["action"] in self.NEEDS_CONFIRMATION
            and not self.cleaned_data["confirmed"]
        )


class DecisionForm(forms.Form):
    """The optional message of one approval, decline or cancellation."""

    note = forms.CharField(
        label=_("Message to the registrant"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Included in the email a declined registrant receives."),
    )


class ChoicesField(forms.CharField):
    """A list of texts, typed one per line."""

    widget = forms.Textarea(attrs={"rows": 3})

    def prepare_value(self, value):
        return "\n".join(value) if isinstance(value, list) else value

    def to_python(self, value):
        return [line.strip() for line in (value or "").splitlines() if line.strip()]


class QuestionForm(forms.ModelForm):
    choices = ChoicesField(
        label=_("Choices"),
        required=False,
        help_text=_("One per line; only for choice questions."),
    )

    class Meta:
        model = Question
        fields = ["label", "kind", "choices", "required", "order"]
        widgets = {"order": forms.NumberInput(attrs={"min": 0})}
        help_texts = {"order": _("Smaller numbers come first.")}


QuestionFormSet = modelformset_factory(
    Question, form=QuestionForm, extra=1, can_delete=True, max_num=50, validate_max=True
)
