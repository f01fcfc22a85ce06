"""Reads for the team pages, the members API and the join link."""

from django.db.models import Count, OuterRef, Subquery
from django.shortcuts import get_object_or_404

from events.models import Membership, Organization

from .models import ApiToken, TeamInvitation, hash_secret


def teams_with_role(user):
    """The user's teams, each with `role` (the user's) and `member_count`."""
    role = Membership.objects.filter(user=user, organization=OuterRef("pk")).values("role")
    return (
        Organization.objects.teams_of(user)
        .annotate(role=Subquery(role[:1]), member_count=Count("memberships", distinct=True))
        .order_by("name", "pk")
    )


def team_for_member(user, pk):
    """One of the user's teams by id; another team, a directory entry or no such id is a 404."""
    return get_object_or_404(teams_with_role(user), pk=pk)


def members(team):
    return (
        Membership.objects.filter(organization=team)
        .select_related("user")
        .order_by("user__first_name", "user__last_name", "user__username", "pk")
    )


def pending_invitations(team):
    return TeamInvitation.objects.pending().filter(team=team).select_related("invited_by")


def invitation_for_token(token: str):
    """The invitation this link's token opens, or None. Looked up by the token's hash."""
    if not token or len(token) > 100:
        return None
    return (
        TeamInvitation.objects.select_related("team", "invited_by")
        .filter(token_hash=hash_secret(token))
        .first()
    )


def api_tokens(user):
    return ApiToken.objects.filter(user=user)
