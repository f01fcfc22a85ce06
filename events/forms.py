"""Organizer forms for events and the hosts, speakers, sessions and resources they carry.

Organizers think in the event's local time, so every date and time here is entered and shown as
the wall clock reads in the event's time zone, and stored in UTC.
"""

import functools
import zoneinfo
from datetime import UTC, datetime

from django import forms
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import models
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext_lazy as _

from .models import NOT_IN_DIRECTORY, Event, EventHost, Organization, Resource, Session, Speaker
from .validators import validate_email_address, validate_name


class NameField(forms.CharField):
    """A person's or organization's name, a position or an honorific: one visible line."""

    default_validators = [validate_name]


class EmailAddressField(forms.EmailField):
    """An address mail can reach: a real domain, never localhost or an IP literal."""

    default_validators = [validate_email_address]


@functools.cache
def timezone_choices():
    return [(name, name.replace("_", " ")) for name in sorted(zoneinfo.available_timezones())]


def formfield(db_field, **kwargs):
    """Django's form field for db_field, reading a link typed without a scheme as https."""
    if isinstance(db_field, models.URLField):
        kwargs["assume_scheme"] = "https"
    return db_field.formfield(**kwargs)


class WallClockInput(forms.DateTimeInput):
    """A datetime-local input; seconds appear only when set, so saving unchanged moves nothing."""

    input_type = "datetime-local"

    def format_value(self, value):
        if isinstance(value, datetime):
            return value.isoformat(timespec="seconds" if value.second else "minutes")
        return super().format_value(value)


class WallClockField(forms.DateTimeField):
    """A date and time as a clock shows it, with no zone attached: the form decides which zone.

    Django's own field would read it in the server's zone (UTC), which is what we must avoid.
    """

    widget = WallClockInput

    def to_python(self, value):
        if value in self.empty_values:
            return None
        if isinstance(value, datetime):
            return value
        try:
            parsed = parse_datetime(value.strip())
        except ValueError:
            raise ValidationError(self.error_messages["invalid"], code="invalid") from None
        # Fall back to the configured input formats, skipping DateTimeField's zone handling.
        return parsed or super(forms.DateTimeField, self).to_python(value)


class InEventZoneMixin:
    """Shows the stored UTC times in the event's zone and reads entered times in that zone."""

    wall_clock_fields = ()

    def show_times_in(self, zone):
        for name in self.wall_clock_fields:
            value = self.initial.get(name)
            if isinstance(value, datetime) and timezone.is_aware(value):
                self.initial[name] = value.astimezone(zone).replace(tzinfo=None)

    def read_times_in(self, zone):
        for name in self.wall_clock_fields:
            value = self.cleaned_data.get(name)
            if value is None or timezone.is_aware(value):
                continue
            aware = value.replace(tzinfo=zone)
            if aware.astimezone(UTC).astimezone(zone).replace(tzinfo=None) != value:
                self.add_error(
                    name,
                    ValidationError(
                        _("%(time)s does not exist in %(zone)s: the clocks skip it."),
                        code="nonexistent_time",
                        params={"time": value.strftime("%Y-%m-%d %H:%M"), "zone": zone.key},
                    ),
                )
            else:
                self.cleaned_data[name] = aware


EVENT_WALL_CLOCK_FIELDS = (
    "starts_at",
    "ends_at",
    "registration_opens_at",
    "registration_closes_at",
)


class EventForm(InEventZoneMixin, forms.ModelForm):
    """The event's own fields. The organization can be chosen only when creating."""

    wall_clock_fields = EVENT_WALL_CLOCK_FIELDS

    timezone = forms.ChoiceField(
        label=_("Time zone"),
        choices=timezone_choices,
        help_text=_("Enter the times below as a clock in this zone shows them."),
    )

    class Meta:
        model = Event
        formfield_callback = formfield
        fields = [
            "organization",
            "title",
            "summary",
            "description",
            "format",
            "language",
            "timezone",
            "starts_at",
            "ends_at",
            "venue_name",
            "venue_address",
            "online_join_url",
            "webcast_url",
            "visibility",
            "registration_opens_at",
            "registration_closes_at",
            "requires_approval",
            "waitlist_enabled",
            "capacity_in_person",
            "capacity_virtual",
            "seats_per_organization",
            "contact_email",
        ]
        field_classes = dict.fromkeys(EVENT_WALL_CLOCK_FIELDS, WallClockField)
        widgets = {
            "summary": forms.Textarea(attrs={"rows": 2}),
            "description": forms.Textarea(attrs={"rows": 10}),
        }
        help_texts = {
            "summary": _("One or two sentences for listings and invitations."),
            "description": _(
                "Markdown: a blank line starts a paragraph; **bold**, *italic*, "
                "[a link](https://example.org) and lists starting with - work."
            ),
            "venue_name": _("e.g. ECOSOC Chamber. Needed for in-person and hybrid events."),
            "venue_address": _("e.g. United Nations Headquarters, New York"),
            "webcast_url": _("A public stream anyone may watch, e.g. on UN Web TV."),
            "registration_opens_at": _("Empty to open as soon as the event is published."),
            "registration_closes_at": _("Empty to keep registration open until the event starts."),
        }

    def __init__(self, *args, organizations=None, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            del self.fields["organization"]
        else:
            self.fields["organization"].queryset = organizations
            if len(organizations) == 1 and self.initial.get("organization") is None:
                # The unsaved event's own empty value is in `initial` already.
                self.initial["organization"] = organizations[0].pk
        self.show_times_in(self.zone)

    @property
    def zone(self):
        """The zone the times on this form are in: the one submitted, if it is a real zone."""
        name = self.data.get(self.add_prefix("timezone")) if self.is_bound else None
        if name not in zoneinfo.available_timezones():
            name = self.instance.timezone
        return zoneinfo.ZoneInfo(name)

    def clean(self):
        cleaned_data = super().clean()
        self.read_times_in(self.zone)
        return cleaned_data

    def event_fields(self):
        """The cleaned values to hand to the event services, without the organization."""
        return {name: value for name, value in self.cleaned_data.items() if name != "organization"}

    def add_service_error(self, error):
        """Show a ValidationError raised by a service next to the field it names."""
        for field, messages in error.update_error_dict({}).items():
            self.add_error(field if field in self.fields else NON_FIELD_ERRORS, messages)


class SessionForm(InEventZoneMixin, forms.ModelForm):
    wall_clock_fields = ("starts_at", "ends_at")

    class Meta:
        model = Session
        fields = ["title", "starts_at", "ends_at", "location", "invitation_only", "capacity"]
        field_classes = dict.fromkeys(("starts_at", "ends_at"), WallClockField)

    def __init__(self, *args, zone, **kwargs):
        super().__init__(*args, **kwargs)
        self.zone = zone
        self.show_times_in(zone)

    def clean(self):
        cleaned_data = super().clean()
        self.read_times_in(self.zone)
        return cleaned_data


class HostForm(forms.ModelForm):
    """A host picked from the directory, or one of `teams` (the event's own team; on a new
    event, the teams it may belong to). Another team is neither listed nor accepted."""

    class Meta:
        model = EventHost
        fields = ["organization", "role", "order"]

    def __init__(self, *args, teams, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["organization"]
        field.queryset = Organization.objects.filter(
            models.Q(is_team=False) | models.Q(pk__in=teams)
        )
        field.label_from_instance = _host_label
        field.error_messages["invalid_choice"] = NOT_IN_DIRECTORY


def _host_label(organization):
    if organization.is_team:
        return _("%(name)s (your team)") % {"name": organization.name}
    return organization.name


HostFormSet = forms.inlineformset_factory(
    Event, EventHost, form=HostForm, extra=1, can_delete_extra=False
)
SpeakerFormSet = forms.inlineformset_factory(
    Event,
    Speaker,
    fields=["honorific", "name", "position", "organization_name", "role", "order"],
    extra=1,
    can_delete_extra=False,
)
SessionFormSet = forms.inlineformset_factory(
    Event, Session, form=SessionForm, extra=1, can_delete_extra=False
)
ResourceFormSet = forms.inlineformset_factory(
    Event,
    Resource,
    fields=["kind", "title", "url", "audience", "order"],
    formfield_callback=formfield,
    extra=1,
    can_delete_extra=False,
)


FORMSET_PREFIXES = ("hosts", "speakers", "sessions", "resources")


def event_formsets(data, event, zone, teams=None):
    """The inline formsets of the event page, in the order the page shows them.

    `teams` are the teams a host may be besides directory entries: the event's own by default.
    """
    if teams is None:
        teams = Organization.objects.filter(pk=event.organization_id)
    return {
        "hosts": HostFormSet(data, instance=event, prefix="hosts", form_kwargs={"teams": teams}),
        "speakers": SpeakerFormSet(data, instance=event, prefix="speakers"),
        "sessions": SessionFormSet(
            data, instance=event, prefix="sessions", form_kwargs={"zone": zone}
        ),
        "resources": ResourceFormSet(data, instance=event, prefix="resources"),
    }


def with_one_more_row(data, formset):
    """The submitted data with one more row in `formset` (unbound), holding the defaults its
    empty form shows: what the "Add another" button asks for when the page has no JavaScript."""
    data = data.copy()
    key = f"{formset.prefix}-TOTAL_FORMS"
    try:
        index = int(data.get(key, "0"))
    except ValueError:
        return data  # the management form reports the bad count
    data[key] = str(index + 1)
    blank = formset.empty_form
    for name, field in blank.fields.items():
        value = blank.get_initial_for_field(field, name)
        if value is None or value is False:
            continue
        data[f"{formset.prefix}-{index}-{name}"] = "on" if value is True else str(value)
    return data


def unvalidated(*forms_and_formsets):
    """Show bound forms as typed, without error messages: adding a row is not saving, so a
    field the organizer has not reached yet is not "required" yet."""
    for item in forms_and_formsets:
        if isinstance(item, forms.BaseFormSet):
            for form in item.forms:
                form._errors = forms.utils.ErrorDict()
            item._non_form_errors = item.error_class(renderer=item.renderer)
        else:
            item._errors = forms.utils.ErrorDict()
