"""The Django admin for the events domain: a back office for staff, not for organizers.

Status changes only through the services (publish, cancel), so status and sequence are read-only
here, and an edit that moves the event goes through update_event so calendars follow it.
"""

from django.contrib import admin
from django.db import models

from . import services
from .audit import Actor
from .models import Event, EventHost, Membership, Organization, Resource, Session, Speaker

# Read a link typed without a scheme as https, as Django 6 will.
LINKS_DEFAULT_TO_HTTPS = {models.URLField: {"assume_scheme": "https"}}


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["user"]


@admin.register(Organization)
class OrganizationAdmin(admin.ModelAdmin):
    """The directory and the teams. Staff correct directory entries here; a shipped entry (with
    a code) is reset to events/data/ by the next load_directory unless its code is cleared."""

    list_display = ["name", "short_name", "kind", "country", "is_team", "code", "created_at"]
    list_filter = ["is_team", "kind"]
    search_fields = ["name", "short_name", "code"]
    inlines = [MembershipInline]


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ["user", "organization", "role"]
    list_filter = ["role"]
    list_select_related = ["user", "organization"]
    search_fields = ["user__username", "user__email", "organization__name"]
    autocomplete_fields = ["user", "organization"]


class EventHostInline(admin.TabularInline):
    model = EventHost
    extra = 0
    autocomplete_fields = ["organization"]


class SpeakerInline(admin.TabularInline):
    model = Speaker
    extra = 0


class SessionInline(admin.TabularInline):
    model = Session
    extra = 0


class ResourceInline(admin.TabularInline):
    model = Resource
    formfield_overrides = LINKS_DEFAULT_TO_HTTPS
    extra = 0


@admin.register(Event)
class EventAdmin(admin.ModelAdmin):
    list_display = ["title", "organization", "starts_at", "timezone", "format", "status"]
    list_filter = ["status", "format", "visibility", "language"]
    list_select_related = ["organization"]
    search_fields = ["title", "slug", "venue_name", "organization__name"]
    date_hierarchy = "starts_at"
    autocomplete_fields = ["organization"]
    prepopulated_fields = {"slug": ["title"]}
    readonly_fields = [
        "status",
        "sequence",
        "uid",
        "published_at",
        "cancelled_at",
        "created_at",
        "updated_at",
    ]
    inlines = [EventHostInline, SpeakerInline, SessionInline, ResourceInline]
    formfield_overrides = LINKS_DEFAULT_TO_HTTPS

    def save_model(self, request, obj, form, change):
        if change:
            services.update_event(
                actor=Actor.for_request(request),
                event=obj,
                **{name: form.cleaned_data[name] for name in form.changed_data},
            )
        else:
            super().save_model(request, obj, form, change)


@admin.register(EventHost)
class EventHostAdmin(admin.ModelAdmin):
    list_display = ["organization", "event", "role", "order"]
    list_filter = ["role"]
    list_select_related = ["organization", "event"]
    search_fields = ["organization__name", "event__title"]
    autocomplete_fields = ["event", "organization"]


@admin.register(Speaker)
class SpeakerAdmin(admin.ModelAdmin):
    list_display = ["full_name", "position", "organization_name", "role", "event"]
    list_filter = ["role"]
    list_select_related = ["event"]
    search_fields = ["name", "organization_name", "position", "event__title"]
    autocomplete_fields = ["event"]


@admin.register(Session)
class SessionAdmin(admin.ModelAdmin):
    list_display = ["title", "event", "starts_at", "location", "invitation_only", "capacity"]
    list_filter = ["invitation_only"]
    list_select_related = ["event"]
    search_fields = ["title", "location", "event__title"]
    autocomplete_fields = ["event"]


@admin.register(Resource)
class ResourceAdmin(admin.ModelAdmin):
    formfield_overrides = LINKS_DEFAULT_TO_HTTPS
    list_display = ["title", "kind", "audience", "event"]
    list_filter = ["kind", "audience"]
    list_select_related = ["event"]
    search_fields = ["title", "url", "event__title"]
    autocomplete_fields = ["event"]
