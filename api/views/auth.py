"""`POST /api/v1/auth/token/`: a username and password for the user's API token.

DRF's view with the API's own JSON parser (nesting limit), no credentials looked at (it is how
one gets them), throttled per address, and password guessing locked out by django-axes, which
DRF's authenticate() call reaches with the request.
"""

from drf_spectacular.utils import OpenApiResponse, extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.authtoken.serializers import AuthTokenSerializer
from rest_framework.authtoken.views import ObtainAuthToken
from rest_framework.settings import api_settings


class TokenView(ObtainAuthToken):
    authentication_classes = []
    parser_classes = api_settings.DEFAULT_PARSER_CLASSES

    @extend_schema(
        operation_id="auth_token_create",
        summary="Get the API token for a username and password",
        auth=[],
        request=AuthTokenSerializer,
        responses={
            200: inline_serializer("AuthToken", {"token": serializers.CharField()}),
            400: OpenApiResponse(description="Wrong or missing username or password."),
        },
    )
    def post(self, request, *args, **kwargs):
        return super().post(request, *args, **kwargs)
