"""Only the configured ESP's delivery webhook is routed, and a payload it cannot read is a 400,
never a 500."""

import base64
import json

import pytest

from notifications.models import DeliveryEvent, Suppression

SECRET = "esp:s3cret-webhook-pass"


def _auth(credentials=SECRET):
    return {"HTTP_AUTHORIZATION": "Basic " + base64.b64encode(credentials.encode()).decode()}


@pytest.fixture
def postmark_configured(settings):
    settings.EMAIL_BACKEND = "anymail.backends.postmark.EmailBackend"
    settings.ANYMAIL = {"POSTMARK_SERVER_TOKEN": "token", "WEBHOOK_SECRET": SECRET}


@pytest.fixture
def resend_configured(settings):
    settings.EMAIL_BACKEND = "anymail.backends.resend.EmailBackend"
    settings.ANYMAIL = {"RESEND_API_KEY": "key", "WEBHOOK_SECRET": SECRET}


@pytest.mark.parametrize(
    "path",
    [
        "/anymail/mailgun/tracking/",
        "/anymail/mandrill/tracking/",
        "/anymail/mandrill/",
        "/anymail/amazon_ses/tracking/",
        "/anymail/sendgrid/tracking/",
        "/anymail/postmark/inbound/",
        "/anymail/no-such-esp/tracking/",
    ],
)
@pytest.mark.parametrize("credentials", [{}, _auth()])
def test_webhooks_of_other_esps_are_not_found(client, postmark_configured, db, path, credentials):
    response = client.post(path, "{}", content_type="application/json", **credentials)

    assert response.status_code == 404


def test_without_an_anymail_backend_no_webhook_is_routed(client, settings, db):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.ANYMAIL = {"WEBHOOK_SECRET": SECRET}

    response = client.post(
        "/anymail/postmark/tracking/", "{}", content_type="application/json", **_auth()
    )

    assert response.status_code == 404


def test_the_tracking_esp_can_be_named_explicitly(client, settings, db):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_TRACKING_ESP = "postmark"
    settings.ANYMAIL = {"WEBHOOK_SECRET": SECRET}

    response = client.post(
        "/anymail/postmark/tracking/", "not json", content_type="application/json", **_auth()
    )

    assert response.status_code == 400


def test_the_configured_esp_still_needs_its_credentials(client, postmark_configured, db):
    response = client.post("/anymail/postmark/tracking/", "{}", content_type="application/json")

    assert response.status_code in (400, 401, 403)


POSTMARK_UNREADABLE = [
    "not json",
    "[]",
    "null",
    '{"RecordType": "Bounce", "BouncedAt": "not a time", "Email": 42}',
    '{"RecordType": "Delivery", "Recipient": ["a@b.example"], "DeliveredAt": 5}',
    '{"RecordType": "Bounce", "Type": {"a": 1}, "Email": "x@y.example", "ID": []}',
    "\xff\xfe",
]
RESEND_UNREADABLE = [
    "not json",
    "[]",
    "{}",
    '{"type": "email.bounced", "data": {"to": "x"}, "created_at": 7}',
    '{"type": "email.bounced", "data": {"headers": [{"value": 1}]}}',
    '{"type": "email.bounced", "data": {"headers": 5}}',
]


@pytest.mark.parametrize("payload", POSTMARK_UNREADABLE)
def test_a_malformed_postmark_body_with_valid_credentials_is_a_400(
    client, postmark_configured, db, payload
):
    response = client.post(
        "/anymail/postmark/tracking/", payload, content_type="application/json", **_auth()
    )

    assert response.status_code == 400
    assert not DeliveryEvent.objects.exists()
    assert not Suppression.objects.exists()


@pytest.mark.parametrize("payload", RESEND_UNREADABLE)
def test_a_malformed_resend_body_with_valid_credentials_is_a_400(
    client, resend_configured, db, payload
):
    response = client.post(
        "/anymail/resend/tracking/", payload, content_type="application/json", **_auth()
    )

    assert response.status_code == 400
    assert not DeliveryEvent.objects.exists()


def test_an_event_with_fields_missing_is_accepted_and_suppresses_nobody(
    client, postmark_configured, db
):
    response = client.post(
        "/anymail/postmark/tracking/",
        '{"RecordType": "Bounce"}',
        content_type="application/json",
        **_auth(),
    )

    assert response.status_code == 200
    assert not Suppression.objects.exists()


def test_a_well_formed_postmark_bounce_is_still_recorded(client, postmark_configured, db):
    bounce = {
        "RecordType": "Bounce", "ID": 42, "Type": "HardBounce", "TypeCode": 1,
        "MessageID": "pm-0001", "Email": "delegate@mission.example",
        "BouncedAt": "2026-11-23T10:00:00Z", "Description": "unknown user",
    }  # fmt: skip

    response = client.post(
        "/anymail/postmark/tracking/", json.dumps(bounce), content_type="application/json",
        **_auth(),
    )  # fmt: skip

    assert response.status_code == 200
    assert DeliveryEvent.objects.count() == 1
    assert Suppression.objects.get().email == "delegate@mission.example"
