"""Staff see team invitations and API tokens; neither's secret is stored, so none is shown."""

from django.contrib import admin

from .models import ApiToken, TeamInvitation


@admin.register(TeamInvitation)
class TeamInvitationAdmin(admin.ModelAdmin):
    list_display = [
        "email",
        "team",
        "role",
        "created_at",
        "expires_at",
        "accepted_at",
        "revoked_at",
    ]
    list_filter = ["role"]
    list_select_related = ["team"]
    search_fields = ["email", "team__name"]
    readonly_fields = [
        "team",
        "email",
        "role",
        "invited_by",
        "created_at",
        "accepted_at",
        "accepted_by",
    ]
    fields = [*readonly_fields, "expires_at", "revoked_at"]

    def has_add_permission(self, request):
        return False  # an invitation is sent from the team's page, which emails its link


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    list_display = ["name", "user", "prefix", "created_at", "last_used_at"]
    list_select_related = ["user"]
    search_fields = ["name", "user__username", "user__email", "prefix"]
    readonly_fields = ["user", "name", "prefix", "created_at", "last_used_at"]

    def has_add_permission(self, request):
        return False  # a key is shown once, on the tokens page of its owner
