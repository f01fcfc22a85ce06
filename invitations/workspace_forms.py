"""The organizer's forms for the guest list: whom to invite and with what, corrections, the
reminder date. Times are entered as the event's clock shows them (events.forms' wall clock)."""

from email.utils import parseaddr

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from events.forms import InEventZoneMixin, WallClockField
from registration.forms import HONORIFICS

from .models import Contact, ContactList, Invitation
from .services import Invitee

MAX_PASTED_LINES = 5000
# Longest first, so "H.E. Ms." is taken whole rather than as "H.E.".
_HONORIFICS = sorted({*HONORIFICS, "H.E.", "Prof.", "Amb."}, key=len, reverse=True)


def parse_pasted_line(line: str) -> Invitee | None:
    """'H.E. Ms. Anna Lindqvist <anna@gov.example>' or 'anna@gov.example' as an invitee; None
    when the line holds no valid address."""
    name, email = parseaddr(line.strip())
    email = email.strip().lower()
    try:
        validate_email(email)
    except ValidationError:
        return None
    honorific = ""
    for candidate in _HONORIFICS:
        if name.lower().startswith(candidate.lower() + " "):
            honorific, name = candidate, name[len(candidate) :].strip()
            break
    first, _space, last = name.strip().rpartition(" ")
    if not first:  # one word: a family name alone reads better in "Dear Ms. Lindqvist"
        first, last = "", last
    return Invitee(email=email, honorific=honorific, first_name=first, last_name=last)


class InviteOptionsMixin(InEventZoneMixin):
    """What every invitation made in one go opens: seats, transfer, sessions, expiry."""

    wall_clock_fields = ("expires_at",)

    def add_option_fields(self, event):
        self.event = event
        self.fields["seats"] = forms.IntegerField(
            label=_("Seats"),
            min_value=1,
            initial=1,
            help_text=_("1 for a person; for a mission's focal point, the size of its delegation."),
        )
        self.fields["transferable"] = forms.BooleanField(
            label=_("A mission's invitation: its seats go to delegates with their own addresses"),
            required=False,
        )
        self.fields["sessions"] = forms.ModelMultipleChoiceField(
            label=_("Invitation-only sessions it opens"),
            queryset=event.sessions.filter(invitation_only=True),
            required=False,
            widget=forms.CheckboxSelectMultiple,
        )
        if not self.fields["sessions"].queryset.exists():
            del self.fields["sessions"]
        self.fields["expires_at"] = WallClockField(
            label=_("The link expires"),
            required=False,
            help_text=_("As the clock reads in %(zone)s. Empty for a link that never expires.")
            % {"zone": event.timezone},
        )
        self.show_times_in(event.tzinfo)

    def clean(self):
        cleaned = super().clean()
        self.read_times_in(self.event.tzinfo)
        seats, transferable = cleaned.get("seats"), cleaned.get("transferable")
        if seats and seats > 1 and not transferable:
            self.add_error(
                "seats",
                _("Only a mission's (transferable) invitation can have more than one seat."),
            )
        return cleaned

    def options(self) -> dict:
        data = self.cleaned_data
        return {
            "seats": data["seats"],
            "transferable": data["transferable"],
            "session_ids": tuple(session.pk for session in data.get("sessions") or ()),
            "expires_at": data.get("expires_at"),
        }


class InviteForm(InviteOptionsMixin, forms.Form):
    """Invite a contact list, ticked contacts and pasted addresses, all in one go."""

    contact_list = forms.ModelChoiceField(
        label=_("A contact list"), queryset=ContactList.objects.none(), required=False
    )
    contacts = forms.ModelMultipleChoiceField(
        label=_("Contacts"),
        queryset=Contact.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    addresses = forms.CharField(
        label=_("Addresses"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 6, "spellcheck": "false"}),
        help_text=_(
            "One a line: an address, or a name and an address such as "
            "H.E. Ms. Anna Lindqvist <anna.lindqvist@gov.example>."
        ),
    )
    send_now = forms.BooleanField(
        label=_("Send the new invitations now"),
        required=False,
        help_text=_("Otherwise they wait as drafts on the guest list until you send them."),
    )

    def __init__(self, *args, event, **kwargs):
        super().__init__(*args, **kwargs)
        team = event.organization
        self.fields["contact_list"].queryset = ContactList.objects.filter(team=team)
        self.fields["contacts"].queryset = Contact.objects.filter(team=team)
        self.add_option_fields(event)

    def clean_addresses(self):
        lines = [line for line in self.cleaned_data["addresses"].splitlines() if line.strip()]
        if len(lines) > MAX_PASTED_LINES:
            raise ValidationError(
                _("Paste at most %(count)d addresses at a time.") % {"count": MAX_PASTED_LINES}
            )
        invitees, bad = [], []
        for number, line in enumerate(self.cleaned_data["addresses"].splitlines(), start=1):
            if not line.strip():
                continue
            invitee = parse_pasted_line(line)
            if invitee is None:
                bad.append(
                    _("Line %(number)d: “%(line)s” holds no valid email address.")
                    % {"number": number, "line": line.strip()[:100]}
                )
            else:
                invitees.append(invitee)
        if bad:
            raise ValidationError(bad)
        return invitees

    def clean(self):
        cleaned = super().clean()
        if (
            not self.errors
            and not cleaned.get("contact_list")
            and not cleaned.get("contacts")
            and not cleaned.get("addresses")
        ):
            raise ValidationError(_("Choose a contact list, tick contacts or paste addresses."))
        return cleaned

    def invitees(self) -> list[Invitee]:
        """Everyone to invite, each with the options; contacts in their preferred language."""
        options = self.options()
        contacts = list(self.cleaned_data.get("contacts") or [])
        if contact_list := self.cleaned_data.get("contact_list"):
            contacts += list(contact_list.contacts.order_by("pk"))
        invitees = [Invitee.from_contact(contact, **options) for contact in contacts]
        for pasted in self.cleaned_data.get("addresses") or []:
            invitees.append(Invitee(**{**vars(pasted), **options}))
        return invitees


class InvitationEditForm(InEventZoneMixin, forms.ModelForm):
    """The organizer's corrections to one invitation."""

    wall_clock_fields = ("expires_at",)

    class Meta:
        model = Invitation
        fields = [
            "email",
            "honorific",
            "first_name",
            "last_name",
            "position",
            "organization_name",
            "country",
            "language",
            "seats",
            "transferable",
            "sessions",
            "expires_at",
        ]
        field_classes = {"expires_at": WallClockField}
        widgets = {"sessions": forms.CheckboxSelectMultiple}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        event = self.instance.event
        self.fields["language"] = forms.ChoiceField(
            label=_("Language of its emails"),
            choices=[("", _("The event's language")), *settings.LANGUAGES],
            required=False,
        )
        self.fields["sessions"].queryset = event.sessions.all()
        if not event.sessions.exists():
            del self.fields["sessions"]
        self.show_times_in(event.tzinfo)

    def clean(self):
        cleaned = super().clean()
        self.read_times_in(self.instance.event.tzinfo)
        return cleaned

    def _post_clean(self):
        # The service validates and saves; the model's own clean would run on a half-set
        # instance here.
        pass

    def changes(self) -> dict:
        data = dict(self.cleaned_data)
        data.pop("sessions", None)
        return data


class ReminderScheduleForm(InEventZoneMixin, forms.Form):
    wall_clock_fields = ("remind_at",)

    remind_at = WallClockField(
        label=_("Remind on"),
        required=False,
        help_text=_("Those who have not answered by then get one reminder. Empty for none."),
    )

    def __init__(self, *args, event, **kwargs):
        super().__init__(*args, **kwargs)
        self.event = event
        self.show_times_in(event.tzinfo)

    def clean(self):
        cleaned = super().clean()
        self.read_times_in(self.event.tzinfo)
        return cleaned


def count_message(created: int, existing: list) -> list[str]:
    """What the organizer reads after inviting."""
    words = []
    if created:
        words.append(
            ngettext("%(count)d invitation created.", "%(count)d invitations created.", created)
            % {"count": created}
        )
    if existing:
        named = ", ".join(invitation.email for invitation in existing[:10])
        more = len(existing) - 10
        words.append(
            ngettext(
                "%(count)d address was invited already and left as it was: %(named)s",
                "%(count)d addresses were invited already and left as they were: %(named)s",
                len(existing),
            )
            % {"count": len(existing), "named": named}
            + (" " + (_("and %(count)d more.") % {"count": more}) if more > 0 else "")
        )
    return words
