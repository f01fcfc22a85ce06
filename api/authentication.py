"""`Authorization: Token <key>`: a personal API token made on the tokens page (looked up by its
hash), or a key from POST /api/v1/auth/token/ as before."""

from django.utils.translation import gettext_lazy as _
from rest_framework import authentication, exceptions

from teams.models import API_TOKEN_PREFIX
from teams.services import authenticate_api_token


class TokenAuthentication(authentication.TokenAuthentication):
    def authenticate_credentials(self, key):
        if not key.startswith(API_TOKEN_PREFIX):
            return super().authenticate_credentials(key)
        token = authenticate_api_token(key)
        if token is None or not token.user.is_active:
            raise exceptions.AuthenticationFailed(_("Invalid token."))
        return (token.user, token)
