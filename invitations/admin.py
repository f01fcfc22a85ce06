"""The Django admin for invitations: staff create one and copy its link to send by hand.

Status changes only through the services, so it is read-only here; revoking is an action.
"""

from django import forms
from django.contrib import admin, messages
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from events.audit import Actor
from events.services import TransitionNotAllowed

from . import selectors, services
from .contacts import admin as contacts_admin  # noqa: F401 - registers contacts and imports
from .models import Invitation


class InvitationForm(forms.ModelForm):
    class Meta:
        model = Invitation
        fields = [
            "event",
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

    def clean(self):
        cleaned = super().clean()
        event, sessions = cleaned.get("event"), cleaned.get("sessions")
        if event and sessions and any(session.event_id != event.pk for session in sessions):
            self.add_error("sessions", _("Choose sessions of the invitation's event."))
        return cleaned


@admin.register(Invitation)
class InvitationAdmin(admin.ModelAdmin):
    form = InvitationForm
    list_display = ["email", "full_name", "event", "status", "seats", "transferable"]
    list_filter = ["status", "transferable"]
    list_select_related = ["event"]
    search_fields = ["email", "first_name", "last_name", "organization_name", "event__title"]
    autocomplete_fields = ["event"]
    filter_horizontal = ["sessions"]
    readonly_fields = [
        "link",
        "status",
        "seats_taken",
        "decline_reason",
        "responded_at",
        "times_sent",
        "sent_at",
        "delivery",
    ]
    actions = ["revoke"]
    fieldsets = [
        (None, {"fields": ["event", "link", "status", "seats_taken"]}),
        (
            _("Invitee"),
            {
                "fields": [
                    "email",
                    "honorific",
                    "first_name",
                    "last_name",
                    "position",
                    "organization_name",
                    "country",
                    "language",
                ]
            },
        ),
        (_("What it opens"), {"fields": ["seats", "transferable", "sessions", "expires_at"]}),
        (_("Sending"), {"fields": ["times_sent", "sent_at", "delivery"]}),
        (_("Answer"), {"fields": ["responded_at", "decline_reason"]}),
    ]

    @admin.display(description=_("link"))
    def link(self, invitation):
        if invitation.pk is None:
            return _("Shown once the invitation is saved.")
        return format_html('<a href="{0}">{0}</a>', invitation.link)

    @admin.display(description=_("seats taken"))
    def seats_taken(self, invitation):
        return selectors.seats_used(invitation) if invitation.pk else 0

    @admin.action(description=_("Revoke: the link opens nothing any more"))
    def revoke(self, request, queryset):
        revoked = 0
        for invitation in queryset:
            try:
                services.revoke(actor=Actor.for_request(request), invitation=invitation)
            except TransitionNotAllowed:
                continue
            revoked += 1
        self.message_user(
            request,
            ngettext("%d invitation revoked.", "%d invitations revoked.", revoked) % revoked,
            messages.SUCCESS,
        )
