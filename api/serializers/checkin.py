"""Check-in at the door and online attendance from a meeting platform's report.

Datetimes are written in the event's own time zone, like every other event datetime.
"""

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from registration.models import Registration


class CheckInRequestSerializer(serializers.Serializer):
    ticket_code = serializers.CharField(
        max_length=64,
        help_text=_(
            "The code on the ticket, or its first characters; case, spaces and dashes do not "
            "matter."
        ),
    )


class CheckedInRegistrationSerializer(serializers.ModelSerializer):
    class Meta:
        model = Registration
        fields = [
            "id",
            "first_name",
            "last_name",
            "honorific",
            "organization_name",
            "attendance_mode",
            "status",
            "checked_in_at",
        ]
        read_only_fields = fields

    def to_representation(self, registration):
        with timezone.override(registration.event.tzinfo):
            return super().to_representation(registration)


class CheckInSerializer(serializers.Serializer):
    registration = CheckedInRegistrationSerializer(read_only=True)
    already_checked_in = serializers.BooleanField(
        read_only=True,
        help_text=_(
            "True when the ticket had been checked in before; checked_in_at is then the first "
            "check-in."
        ),
    )


class CheckInProblemSerializer(serializers.Serializer):
    detail = serializers.CharField()


class AttendanceImportRequestSerializer(serializers.Serializer):
    file = serializers.FileField(
        help_text=_(
            "The online meeting's attendance report as Zoom, Microsoft Teams or Webex export it "
            "(their header lines, sections and UTF-16 are recognised), or any CSV whose header "
            "names an email column; at most 5 MB and 50,000 rows."
        )
    )
    column = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=200,
        help_text=_(
            "The column of email addresses, by its header or its number from 1, when it is not "
            "recognised (or to use another)."
        ),
    )
    dry_run = serializers.BooleanField(
        required=False,
        default=False,
        help_text=_("Answer whom the report would mark, and mark nobody."),
    )


class AttendanceRowErrorSerializer(serializers.Serializer):
    row = serializers.IntegerField(help_text=_("The row's line number in the file."))
    message = serializers.CharField()


class AttendanceReportSerializer(serializers.Serializer):
    platform = serializers.ChoiceField(
        choices=["zoom", "teams", "webex", ""],
        help_text=_("The platform whose report this was recognised as; empty for another file."),
    )
    column = serializers.CharField(help_text=_("The header of the column of addresses read."))
    rows = serializers.IntegerField(help_text=_("Participant rows read."))
    marked = serializers.IntegerField(
        help_text=_("Online registrants newly marked attended (with dry_run: who would be).")
    )
    already = serializers.IntegerField(help_text=_("Listed registrants already marked attended."))
    unknown = serializers.ListField(
        child=serializers.EmailField(),
        help_text=_("Listed addresses with no confirmed online registration for the event."),
    )
    not_online = serializers.ListField(
        child=serializers.EmailField(),
        help_text=_("Registrants listed who are not confirmed to attend online."),
    )
    not_registered = serializers.ListField(
        child=serializers.EmailField(), help_text=_("Listed addresses that did not register.")
    )
    without_email = serializers.ListField(
        child=serializers.CharField(), help_text=_("Names of rows without an address.")
    )
    errors = AttendanceRowErrorSerializer(many=True, help_text=_("Rows that were not read."))
    dry_run = serializers.BooleanField()
