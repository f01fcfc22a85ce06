"""The directory of organizations and the caller's teams; a team's members and invitations.

Anyone signed in reads the directory (entries that are nobody's team) and their own teams;
another team is a 404, like an id that does not exist. Posting adds a directory entry, or, by
platform staff, a team they own. Members are managed by the team's owners.
"""

from django.db.models import OuterRef, Subquery
from django.shortcuts import get_object_or_404
from django.utils.functional import cached_property
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_view,
    inline_serializer,
)
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response

from api.permissions import ObjectRules, TeamRules
from api.serializers.organizations import (
    InviteSerializer,
    MemberSerializer,
    OrganizationSerializer,
    TeamInvitationSerializer,
)
from events.audit import Actor
from events.models import Membership, Organization
from events.services import create_directory_entry
from teams import selectors as team_selectors
from teams import services as team_services

LAST_OWNER = OpenApiResponse(
    inline_serializer("LastOwner", {"detail": serializers.CharField()}),
    description="The team would be left without an owner.",
)


@extend_schema_view(
    list=extend_schema(
        parameters=[
            OpenApiParameter("search", str, description="Name or short name contains this."),
            OpenApiParameter("kind", enum=Organization.Kind.values, description="Only this kind."),
            OpenApiParameter("country", str, description="ISO 3166-1 alpha-2 code."),
        ]
    ),
    create=extend_schema(
        description=(
            "Add an entry to the directory: nobody's team, and naming it gives nobody rights. "
            "Posted by a platform staff account, it creates a team instead, with the caller "
            "as its owner."
        )
    ),
)
class OrganizationViewSet(
    mixins.ListModelMixin,
    mixins.CreateModelMixin,
    mixins.RetrieveModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """The directory and the caller's teams, each with `role`: the caller's role in it, else
    null. A team's owners may rename it; directory entries are kept by platform staff."""

    serializer_class = OrganizationSerializer
    permission_classes = [IsAuthenticated, ObjectRules]
    http_method_names = ["get", "post", "patch", "head", "options"]
    read_permission = "events.view_organization"
    write_permission = "events.change_organization"

    def get_queryset(self):
        user = self.request.user
        if getattr(self, "swagger_fake_view", False):  # the schema generator has no user
            return Organization.objects.none()
        role = Membership.objects.filter(user=user, organization=OuterRef("pk")).values("role")
        organizations = Organization.objects.visible_to(user).annotate(role=Subquery(role[:1]))
        if self.action == "list":
            params = self.request.query_params
            organizations = organizations.search(params.get("search", ""))
            if kind := params.get("kind"):
                organizations = organizations.filter(kind=kind)
            if country := params.get("country"):
                organizations = organizations.filter(country=country.upper())
        return organizations.order_by("name", "pk")

    def perform_create(self, serializer):
        if self.request.user.is_staff:
            organization = team_services.create_team(
                actor=Actor.for_request(self.request),
                user=self.request.user,
                **serializer.validated_data,
            )
        else:
            organization = create_directory_entry(
                actor=Actor.for_request(self.request), **serializer.validated_data
            )
        serializer.instance = self.get_queryset().get(pk=organization.pk)


class TeamPartViewSet(viewsets.GenericViewSet):
    """Views under /organizations/{id}/ that exist only for the caller's own teams."""

    permission_classes = [IsAuthenticated, TeamRules]
    read_permission = "teams.view_members"
    write_permission = "teams.manage_members"

    @cached_property
    def team(self):
        """The team in the URL, if the caller is on it: anything else is a 404."""
        teams = Organization.objects.teams_of(self.request.user)
        return get_object_or_404(teams, pk=self.kwargs["organization_pk"])


@extend_schema(parameters=[OpenApiParameter("organization_pk", int, OpenApiParameter.PATH)])
@extend_schema_view(
    create=extend_schema(
        summary="Invite a colleague by email",
        request=InviteSerializer,
        responses={201: TeamInvitationSerializer},
        description=(
            "Emails a link that works once and expires: it creates the colleague's account or "
            "adds the team to the account they sign in with. Inviting an address again "
            "withdraws its earlier link."
        ),
    ),
    partial_update=extend_schema(responses={200: MemberSerializer, 409: LAST_OWNER}),
    destroy=extend_schema(responses={204: None, 409: LAST_OWNER}),
)
class MemberViewSet(
    mixins.ListModelMixin,
    mixins.CreateModelMixin,
    mixins.RetrieveModelMixin,
    mixins.UpdateModelMixin,
    mixins.DestroyModelMixin,
    TeamPartViewSet,
):
    """Who is on the team. Every member reads it; owners invite, change roles and remove, and
    the last owner can neither step down nor be removed."""

    serializer_class = MemberSerializer
    http_method_names = ["get", "post", "patch", "delete", "head", "options"]
    lookup_value_regex = r"\d+"

    def get_queryset(self):
        return team_selectors.members(self.team)

    def create(self, request, organization_pk):
        invite = InviteSerializer(data=request.data)
        invite.is_valid(raise_exception=True)
        invitation = team_services.invite_member(
            actor=Actor.for_request(self.request),
            team=self.team,
            invited_by=request.user,
            **invite.validated_data,
        )
        return Response(TeamInvitationSerializer(invitation).data, status=status.HTTP_201_CREATED)

    def perform_update(self, serializer):
        serializer.instance = team_services.change_role(
            actor=Actor.for_request(self.request),
            membership=serializer.instance,
            role=serializer.validated_data.get("role", serializer.instance.role),
        )

    def perform_destroy(self, membership):
        team_services.remove_member(actor=Actor.for_request(self.request), membership=membership)


@extend_schema(parameters=[OpenApiParameter("organization_pk", int, OpenApiParameter.PATH)])
class TeamInvitationViewSet(mixins.ListModelMixin, mixins.DestroyModelMixin, TeamPartViewSet):
    """Invitations still waiting for an answer; owners may withdraw one (DELETE)."""

    serializer_class = TeamInvitationSerializer
    read_permission = "teams.manage_members"
    lookup_value_regex = r"\d+"

    def get_queryset(self):
        return team_selectors.pending_invitations(self.team)

    def perform_destroy(self, invitation):
        team_services.revoke_invitation(
            actor=Actor.for_request(self.request), invitation=invitation
        )
