import pytest
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from events.models import Membership
from tests.factories import MembershipFactory


@pytest.fixture
def owner(organization):
    return MembershipFactory(organization=organization, role=Membership.Role.OWNER).user


@pytest.fixture
def viewer(organization):
    return MembershipFactory(organization=organization, role=Membership.Role.VIEWER).user


@pytest.fixture
def anonymous_client():
    return APIClient()


@pytest.fixture
def client_for(db):
    """An API client that sends the given user's token, as an integrator would."""

    def build(user):
        client = APIClient()
        token, _created = Token.objects.get_or_create(user=user)
        client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
        return client

    return build


@pytest.fixture
def manager_client(client_for, manager):
    return client_for(manager)
