"""The decline form: an optional word to the organizers."""

from django import forms
from django.utils.translation import gettext_lazy as _

REASON_MAX_LENGTH = 2000


class DeclineForm(forms.Form):
    reason = forms.CharField(
        label=_("A word to the organizers"),
        required=False,
        max_length=REASON_MAX_LENGTH,
        help_text=_("For example who will attend in your place."),
        widget=forms.Textarea(attrs={"rows": 4}),
    )
