"""What any API request gets for a body it cannot read, and the published schema."""

import json

from events.models import Event

URL = "/api/v1/events/"


def test_malformed_json_is_a_400(manager_client, organization):
    response = manager_client.post(URL, '{"title": ', content_type="application/json")

    assert response.status_code == 400
    assert "detail" in response.json()
    assert not Event.objects.exists()


def test_oversized_body_is_a_400_and_writes_nothing(manager_client, organization, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    body = json.dumps({"title": "Peacekeeping", "description": "x" * 2000})

    response = manager_client.post(URL, body, content_type="application/json")

    assert response.status_code == 400
    assert "detail" in response.json()
    assert not Event.objects.exists()


def test_oversized_token_request_is_a_400(anonymous_client, db, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    body = json.dumps({"username": "x" * 2000, "password": "secret"})

    response = anonymous_client.post("/api/v1/auth/token/", body, content_type="application/json")

    assert response.status_code == 400


def test_schema_is_public(anonymous_client, db):
    response = anonymous_client.get("/api/v1/schema/")

    assert response.status_code == 200
    assert b"/api/v1/events/{slug}/publish/" in response.content


def test_docs_are_public(anonymous_client, db):
    assert anonymous_client.get("/api/v1/docs/").status_code == 200
    assert anonymous_client.get("/api/v1/docs/redoc/").status_code == 200
