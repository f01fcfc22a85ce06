"""Forms of the organizer's Reminders and Follow-up pages."""

from datetime import timedelta

from django import forms
from django.utils.translation import gettext_lazy as _

from events.models import Event

from . import reminders

UNITS = {"days": timedelta(days=1), "hours": timedelta(hours=1), "minutes": timedelta(minutes=1)}
UNIT_LABELS = [("days", _("days")), ("hours", _("hours")), ("minutes", _("minutes"))]
MOST_BEFORE = timedelta(days=365)


class OffsetForm(forms.Form):
    """One reminder: how long before the start. A row left empty is no reminder."""

    amount = forms.IntegerField(
        label=_("How long before the start"),
        min_value=1,
        required=False,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
        error_messages={"min_value": _("Give a number of at least 1.")},
    )
    unit = forms.ChoiceField(label=_("Unit"), choices=UNIT_LABELS, initial="days")

    def clean(self):
        data = super().clean()
        if data.get("amount") and data["amount"] * UNITS[data.get("unit", "days")] > MOST_BEFORE:
            self.add_error("amount", _("A reminder goes at most a year before the start."))
        return data

    @property
    def delta(self) -> timedelta | None:
        data = getattr(self, "cleaned_data", {})
        return data["amount"] * UNITS[data["unit"]] if data.get("amount") else None


class BaseOffsetFormSet(forms.BaseFormSet):
    def clean(self):
        if any(self.errors):
            return
        keys = [reminders.offset_key(f.delta) for f in self.forms if f.delta]
        if len(keys) != len(set(keys)):
            raise forms.ValidationError(_("Each reminder once, please: two rows say the same."))

    def offsets(self) -> list[str]:
        """The reminders as the event stores them, earliest first (P7D, P1D, PT1H)."""
        deltas = sorted({f.delta for f in self.forms if f.delta}, reverse=True)
        return [reminders.offset_key(delta) for delta in deltas]


OffsetFormSet = forms.formset_factory(
    OffsetForm, formset=BaseOffsetFormSet, extra=2, max_num=8, validate_max=True
)


def offset_rows(event) -> list[dict]:
    """The event's reminders as rows of the form, each in the largest unit that fits."""
    rows = []
    for _key, delta in reminders.offsets(event):
        unit = next(name for name, size in UNITS.items() if delta % size == timedelta(0))
        rows.append({"amount": delta // UNITS[unit], "unit": unit})
    return rows


class FollowupSettingsForm(forms.ModelForm):
    class Meta:
        model = Event
        fields = ["followup_on_recording", "followup_delay_hours", "followup_include_invitees"]
        widgets = {"followup_delay_hours": forms.NumberInput(attrs={"inputmode": "numeric"})}


class SendFollowupForm(forms.Form):
    include_invitees = forms.BooleanField(
        label=_("Also send it to invited guests who did not register"),
        required=False,
        help_text=_("They get their own wording, with the material for everyone only."),
    )
