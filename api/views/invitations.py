"""The invitee's side of an invitation, by the token in its link ("<id>.<secret>").

Public: the token is the credential, so there is no session and no CSRF. A wrong or forged
token is a 404; a revoked or expired invitation answers 410 with the organizers' address, and
changes nothing. Registering with the token goes through the registrations endpoint.
"""

from django.http import Http404
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    inline_serializer,
)
from rest_framework import serializers, status
from rest_framework.exceptions import APIException
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from api.serializers.invitations import DeclineSerializer, PublicInvitationSerializer
from events.models import Event
from events.throttling import InvitationThrottle
from invitations import services

TOKEN = OpenApiParameter(
    "token", str, OpenApiParameter.PATH, description="The token in the invitation link."
)
NOT_FOUND = OpenApiResponse(description="No invitation has this token.")
GONE = OpenApiResponse(
    inline_serializer(
        "InvitationWithdrawn",
        {"detail": serializers.CharField(), "contact_email": serializers.EmailField()},
    ),
    description="The invitation was withdrawn or has expired; write to `contact_email`.",
)


class InvitationWithdrawn(APIException):
    status_code = status.HTTP_410_GONE


class InvitationTokenView(APIView):
    authentication_classes = []
    permission_classes = [AllowAny]
    throttle_classes = [InvitationThrottle]

    def invitation(self):
        invitation = services.invitation_for_token(self.kwargs["token"])
        if invitation is None or invitation.event.status == Event.Status.DRAFT:
            raise Http404
        if reason := services.withdrawn_reason(invitation):
            raise InvitationWithdrawn(
                {"detail": reason, "contact_email": invitation.event.contact_address}
            )
        return invitation


class InvitationView(InvitationTokenView):
    @extend_schema(
        operation_id="invitations_retrieve",
        summary="An invitation by the token in its link (public)",
        auth=[],
        parameters=[TOKEN],
        responses={200: PublicInvitationSerializer, 404: NOT_FOUND, 410: GONE},
    )
    def get(self, request, token):
        """The event in short, whom the invitation is for, and how many seats it has left."""
        return Response(PublicInvitationSerializer(self.invitation()).data)


class InvitationDeclineView(InvitationTokenView):
    @extend_schema(
        operation_id="invitations_decline",
        summary="Decline an invitation (public)",
        auth=[],
        parameters=[TOKEN],
        request=DeclineSerializer,
        responses={
            200: PublicInvitationSerializer,
            400: OpenApiResponse(description="The reason is too long."),
            404: NOT_FOUND,
            410: GONE,
            409: OpenApiResponse(
                inline_serializer("InvitationConflict", {"detail": serializers.CharField()}),
                description="Already declined, or someone has registered with it (a "
                "mission's invitation may still decline the seats it has left).",
            ),
        },
    )
    def post(self, request, token):
        """Decline, with an optional word to the organizers. Once someone has registered with
        a personal invitation, cancelling that registration is the way out instead; a mission's
        invitation declines the seats it has left and its delegates stay registered."""
        body = DeclineSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        invitation = self.invitation()
        invitation = services.decline(
            actor=services.invitee_actor(invitation),
            invitation=invitation,
            reason=body.validated_data.get("reason", ""),
        )
        return Response(PublicInvitationSerializer(invitation).data)
