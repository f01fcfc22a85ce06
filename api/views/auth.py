"""`POST /api/v1/auth/token/`: a username and password for the user's API token.

DRF's view with the API's own JSON parser (nesting limit), no credentials looked at (it is how
one gets them), throttled per IP, and password guessing locked out by django-axes: DRF's
serializer passes the request to authenticate(), so axes counts the failures and marks the
(DRF) request locked out, which this view answers with a 429.
"""

from drf_spectacular.utils import OpenApiResponse, extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.authtoken.serializers import AuthTokenSerializer
from rest_framework.authtoken.views import ObtainAuthToken
from rest_framework.response import Response
from rest_framework.settings import api_settings

from events.throttling import TokenThrottle, lockout_response
from teams.services import password_api_token


class TokenView(ObtainAuthToken):
    authentication_classes = []
    parser_classes = api_settings.DEFAULT_PARSER_CLASSES
    throttle_classes = [TokenThrottle]

    @extend_schema(
        operation_id="auth_token_create",
        summary="Get the API token for a username and password",
        auth=[],
        request=AuthTokenSerializer,
        responses={
            200: inline_serializer("AuthToken", {"token": serializers.CharField()}),
            400: OpenApiResponse(description="Wrong or missing username or password."),
            429: OpenApiResponse(
                description="Too many requests, or too many wrong passwords for this username: "
                "locked out for the number of seconds in Retry-After."
            ),
        },
    )
    def post(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        if not serializer.is_valid():
            if getattr(request, "axes_locked_out", False):
                return lockout_response(request)
            serializer.is_valid(raise_exception=True)
        token = password_api_token(user=serializer.validated_data["user"])
        return Response({"token": token.key})
