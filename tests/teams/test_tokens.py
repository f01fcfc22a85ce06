"""Personal API tokens: created named with the key shown once, listed, revoked; stored hashed."""

from datetime import timedelta

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from events.audit import SYSTEM
from teams import services
from teams.models import ApiToken, hash_secret
from tests.factories import UserFactory


@pytest.fixture
def signed_in(client, manager):
    client.force_login(manager)
    return client


def _api(key):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return client


def test_a_created_token_shows_its_key_once_and_stores_only_its_hash(signed_in, manager):
    created = signed_in.post(reverse("teams:tokens"), {"name": "CRM sync"})
    key = created.context["new_key"]
    listed = signed_in.get(reverse("teams:tokens"))

    token = ApiToken.objects.get(user=manager)
    assert key in created.content.decode()
    assert key not in listed.content.decode()
    assert token.key_hash == hash_secret(key)
    assert token.prefix in listed.content.decode() and key.startswith(token.prefix)
    assert "CRM sync" in listed.content.decode()
    assert "no-store" in created["Cache-Control"]


def test_a_token_needs_a_name(signed_in, manager):
    response = signed_in.post(reverse("teams:tokens"), {"name": "  "})

    assert "Name the token" in response.content.decode()
    assert not ApiToken.objects.exists()


def test_the_key_authenticates_api_requests_as_its_user(manager, event):
    _token, key = services.create_api_token(actor=SYSTEM, user=manager, name="CRM sync")

    response = _api(key).get(f"/api/v1/events/{event.slug}/")

    assert response.status_code == 200


def test_a_token_is_looked_up_by_the_hash_of_its_key(manager, event):
    token, key = services.create_api_token(actor=SYSTEM, user=manager, name="CRM sync")
    ApiToken.objects.filter(pk=token.pk).update(key_hash=hash_secret(key + "x"))

    assert _api(key).get(f"/api/v1/events/{event.slug}/").status_code == 401


def test_the_tokens_page_records_when_a_token_was_last_used(manager, event):
    token, key = services.create_api_token(actor=SYSTEM, user=manager, name="CRM sync")

    _api(key).get("/api/v1/events/")
    token.refresh_from_db()
    first_use = token.last_used_at
    with time_machine.travel(timezone.now() + timedelta(minutes=5)):
        _api(key).get("/api/v1/events/")
    token.refresh_from_db()

    assert first_use is not None
    assert token.last_used_at > first_use


def test_revoking_asks_first_and_then_the_key_stops_working(signed_in, manager, event):
    token, key = services.create_api_token(actor=SYSTEM, user=manager, name="CRM sync")
    url = reverse("teams:token_revoke", args=[token.pk])

    asked = signed_in.get(url)
    still_works = _api(key).get("/api/v1/events/").status_code
    revoked = signed_in.post(url)

    assert asked.status_code == 200 and "Revoke the token" in asked.content.decode()
    assert still_works == 200
    assert revoked.status_code == 302
    assert not ApiToken.objects.exists()
    assert _api(key).get("/api/v1/events/").status_code == 401


def test_another_accounts_token_is_not_found(signed_in):
    token, _key = services.create_api_token(actor=SYSTEM, user=UserFactory(), name="Theirs")

    assert signed_in.get(reverse("teams:token_revoke", args=[token.pk])).status_code == 404
    assert signed_in.post(reverse("teams:token_revoke", args=[token.pk])).status_code == 404
    assert ApiToken.objects.filter(pk=token.pk).exists()


def test_keys_from_the_password_endpoint_keep_working_beside_tokens(manager, event):
    services.create_api_token(actor=SYSTEM, user=manager, name="CRM sync")
    legacy = Token.objects.create(user=manager)

    assert _api(legacy.key).get(f"/api/v1/events/{event.slug}/").status_code == 200


def test_the_tokens_page_needs_a_sign_in(client, db):
    assert client.get(reverse("teams:tokens")).status_code == 302
