"""The public registration form, shaped by the event: its modes, sessions and questions.

The form only reads what the delegate typed; registration.services decides whether it is allowed
and says why not. Errors the service raises are put back on the fields they concern.
"""

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.urls import reverse_lazy
from django.utils import timezone
from django.utils.translation import get_language, get_supported_language_variant, ngettext
from django.utils.translation import gettext_lazy as _
from django_countries import countries

from events.forms import EmailAddressField, NameField

from . import questions as question_kinds
from .models import AttendanceMode, Question, validate_time_zone

HONORIFICS = ["Mr.", "Ms.", "Mrs.", "Dr.", "H.E. Mr.", "H.E. Ms.", "Amb."]
QUESTION_PREFIX = "question_"


class CheckboxesWithClosedOptions(forms.CheckboxSelectMultiple):
    """Checkboxes where some options are shown but cannot be ticked: invitation-only sessions."""

    def __init__(self, *args, closed=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.closed = {str(value) for value in closed}

    def create_option(self, name, value, *args, **kwargs):
        option = super().create_option(name, value, *args, **kwargs)
        if str(value) in self.closed:
            option["attrs"]["disabled"] = True
        return option


class RegistrationForm(forms.Form):
    """What a delegate types. `places` is selectors.places_left(event): one entry per mode the
    event offers, so a hybrid event gets the attendance radio buttons with places left."""

    honorific = NameField(
        label=_("Honorific"),
        max_length=50,
        required=False,
        help_text=_("For example H.E. Mr., Dr. or Amb."),
        widget=forms.TextInput(attrs={"list": "honorifics", "autocomplete": "honorific-prefix"}),
    )
    first_name = NameField(
        label=_("First name"),
        max_length=100,
        error_messages={"required": _("Enter your first name.")},
        widget=forms.TextInput(attrs={"autocomplete": "given-name"}),
    )
    last_name = NameField(
        label=_("Last name"),
        max_length=100,
        error_messages={"required": _("Enter your last name.")},
        widget=forms.TextInput(attrs={"autocomplete": "family-name"}),
    )
    email = EmailAddressField(
        label=_("Email"),
        max_length=254,
        error_messages={
            "required": _("Enter your email address."),
            "invalid": _("Enter an email address like name@example.org."),
        },
        help_text=_("Your confirmation and private link are sent here."),
        widget=forms.EmailInput(attrs={"autocomplete": "email", "spellcheck": "false"}),
    )
    position = NameField(
        label=_("Position"),
        max_length=200,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "organization-title"}),
    )
    organization_name = NameField(
        label=_("Organization"),
        max_length=200,
        required=False,
        help_text=_(
            "For example Permanent Mission of Ghana: type a few letters to pick it from the "
            "list, or write your organization's name."
        ),
        widget=forms.TextInput(
            attrs={
                "autocomplete": "organization",
                "list": "organization-suggestions",
                "data-suggest-url": reverse_lazy("events:directory_suggest"),
            }
        ),
    )
    country = forms.ChoiceField(
        label=_("Country"),
        required=False,
        widget=forms.Select(attrs={"autocomplete": "country"}),
    )
    language = forms.ChoiceField(
        label=_("Language for our emails"),
        choices=settings.LANGUAGES,
        error_messages={"required": _("Choose the language for our emails.")},
    )
    # Filled in by static/js/browser-zone.js with the browser's IANA zone, so reminders can
    # also say when the event starts for the registrant; anything else is ignored.
    timezone = forms.CharField(required=False, widget=forms.HiddenInput)
    consent = forms.BooleanField(
        label=_("I agree that the organizers store these details to run this event."),
        error_messages={"required": _("Registration needs your consent to store these details.")},
    )

    def __init__(self, *args, event, places=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.event = event
        self.questions = list(Question.objects.filter(event=event))
        self.fields["country"].choices = [("", _("Choose a country")), *countries]
        self.fields["language"].initial = _current_language()
        order = ["honorific", "first_name", "last_name", "email", "position"]
        order += ["organization_name", "country"]
        if len(places or {}) > 1:
            self.fields["attendance_mode"] = self._mode_field(places)
            order.append("attendance_mode")
        sessions = list(event.sessions.all())
        if sessions:
            self.fields["sessions"] = self._sessions_field(sessions)
            order.append("sessions")
        for question in self.questions:
            self.fields[f"{QUESTION_PREFIX}{question.pk}"] = question_kinds.form_field(question)
            order.append(f"{QUESTION_PREFIX}{question.pk}")
        self.order_fields([*order, "language", "consent", "timezone"])

    def _mode_field(self, places):
        return forms.ChoiceField(
            label=_("How will you attend?"),
            choices=[
                (mode, _mode_label(mode, left, self.event.waitlist_enabled))
                for mode, left in places.items()
            ],
            widget=forms.RadioSelect,
            error_messages={"required": _("Choose to attend in person or online.")},
        )

    def _sessions_field(self, sessions):
        return forms.MultipleChoiceField(
            label=_("Sessions you will attend"),
            required=False,
            choices=[(str(session.pk), self._session_label(session)) for session in sessions],
            # Invitation-only sessions are shown so the programme is complete, but stay closed.
            widget=CheckboxesWithClosedOptions(
                closed=[session.pk for session in sessions if session.invitation_only]
            ),
        )

    def _session_label(self, session):
        starts = timezone.localtime(session.starts_at, self.event.tzinfo)
        ends = timezone.localtime(session.ends_at, self.event.tzinfo)
        label = f"{session.title} · {starts:%H:%M}\N{EN DASH}{ends:%H:%M}"
        if session.location:
            label += f" · {session.location}"
        if session.invitation_only:
            return _("%(session)s (by invitation)") % {"session": label}
        return label

    def clean_timezone(self):
        zone = self.cleaned_data.get("timezone", "")
        try:
            validate_time_zone(zone)
        except ValidationError:
            return ""  # not typed by the registrant: a zone we do not know is simply not used
        return zone

    @property
    def question_fields(self):
        return [self[f"{QUESTION_PREFIX}{question.pk}"] for question in self.questions]

    def service_arguments(self) -> dict:
        """Keyword arguments for services.register, from the cleaned data."""
        data = self.cleaned_data
        arguments = {
            name: data[name]
            for name in (
                "honorific",
                "first_name",
                "last_name",
                "email",
                "position",
                "organization_name",
                "country",
                "language",
            )
        }
        answers = {}
        for question in self.questions:
            value = data.get(f"{QUESTION_PREFIX}{question.pk}")
            if question_kinds.is_answered(value):
                answers[str(question.pk)] = value
        return arguments | {
            "event": self.event,
            "questions": self.questions,
            "consent": data["consent"] is True,
            "attendance_mode": data.get("attendance_mode", ""),
            "time_zone": data.get("timezone", ""),
            "sessions": [int(pk) for pk in data.get("sessions", [])],
            "answers": answers,
        }

    def add_service_errors(self, error: ValidationError):
        """Put the service's errors on the fields they name (an answer's on its question), the
        rest above the form."""
        for name, errors in error.error_dict.items():
            for problem in errors:
                message = next(iter(problem))
                question_field = f"{QUESTION_PREFIX}{(problem.params or {}).get('key')}"
                if name == "answers" and question_field in self.fields:
                    self.add_error(question_field, message)
                elif name in self.fields:
                    self.add_error(name, message)
                else:
                    self.add_error(None, message)

    def error_summary(self):
        """Every error as (the id of the input to jump to or "", text), in form order.

        A question's errors name the question; the other fields' messages name what they need.
        """
        items = [("", message) for message in self.non_field_errors()]
        for field in self:
            for message in field.errors:
                if field.name.startswith(QUESTION_PREFIX):
                    message = _("%(question)s — %(message)s") % {
                        "question": field.label,
                        "message": message,
                    }
                items.append((field.auto_id, message))
        return items


def _current_language():
    codes = [code for code, _name in settings.LANGUAGES]
    try:
        language = get_supported_language_variant(get_language() or settings.LANGUAGE_CODE)
    except LookupError:
        return settings.LANGUAGE_CODE
    return language if language in codes else settings.LANGUAGE_CODE


def _mode_label(mode, left, waitlist_enabled):
    label = AttendanceMode(mode).label
    if left is None:
        return label
    if left > 0:
        return ngettext(
            "%(mode)s — %(count)d place left", "%(mode)s — %(count)d places left", left
        ) % {"mode": label, "count": left}
    if waitlist_enabled:
        return _("%(mode)s — full; you can join the waitlist") % {"mode": label}
    return _("%(mode)s — full") % {"mode": label}
