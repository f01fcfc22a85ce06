"""The attendee's own changes, by the token in the private link we email them ("<id>.<secret>").

Public: the token is the credential, so there is no session and no CSRF. A wrong token is a 404.
The changes themselves are registration.services.cancel and switch_mode.
"""

from django.http import Http404
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from api.serializers.attendee import (
    AttendeeRefusalSerializer,
    AttendeeRegistrationSerializer,
    ModeSwitchSerializer,
)
from events.audit import Actor
from events.throttling import AttendeeThrottle
from registration import services

TOKEN = OpenApiParameter(
    "token", str, OpenApiParameter.PATH, description="The token in the registrant's manage_url."
)
RESPONSES = {
    200: AttendeeRegistrationSerializer,
    404: OpenApiResponse(description="No registration has this token."),
    409: OpenApiResponse(
        AttendeeRefusalSerializer,
        description="The registration or the event does not allow this change now.",
    ),
}


class AttendeeChangeView(APIView):
    authentication_classes = []
    permission_classes = [AllowAny]
    throttle_classes = [AttendeeThrottle]

    def registration(self):
        registration = services.manage_token_registration(self.kwargs["token"])
        if registration is None:
            raise Http404
        return registration

    def changed(self, change, **arguments):
        try:
            registration = self.registration()
            actor = Actor.attendee(registration.full_name)  # through their private link
            registration = change(registration=registration, actor=actor, **arguments)
        except services.RegistrationRefused as refusal:
            return Response({"detail": refusal.reason}, status=status.HTTP_409_CONFLICT)
        return Response(AttendeeRegistrationSerializer(registration).data)


class CancelView(AttendeeChangeView):
    @extend_schema(
        operation_id="registrations_manage_cancel",
        parameters=[TOKEN],
        request=None,
        responses=RESPONSES,
    )
    def post(self, request, token):
        """Cancel the registration; a confirmed place goes to the next person waiting."""
        return self.changed(services.cancel)


class ModeSwitchView(AttendeeChangeView):
    @extend_schema(
        operation_id="registrations_manage_mode",
        parameters=[TOKEN],
        request=ModeSwitchSerializer,
        responses={
            **RESPONSES,
            400: OpenApiResponse(description="The event has no such attendance mode."),
        },
    )
    def post(self, request, token):
        """Attend in the other mode, if that mode has a place for a confirmed registrant."""
        serializer = ModeSwitchSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        return self.changed(
            services.switch_mode, attendance_mode=serializer.validated_data["attendance_mode"]
        )
