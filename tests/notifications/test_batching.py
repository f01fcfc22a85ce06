"""ESP batch sends: one API call for many recipients, each reading exactly their own message."""

import dataclasses
import json
from unittest import mock

import pytest
import requests
from anymail.exceptions import AnymailAPIError
from anymail.message import AnymailRecipientStatus
from django.core import mail

from notifications import batching, registry, rendering, services
from notifications.models import Message, MessageTemplate, Suppression
from tests.factories import EventFactory

from . import kinds

MAILGUN_FIELD = "%recipient.{}%"


@pytest.fixture
def event(organization):
    return EventFactory(organization=organization, title="Peacekeeping in Africa")


@pytest.fixture
def esp_batches(anymail_test_backend, settings, announcement_kind):
    """anymail's test backend treated as an ESP with Mailgun's merge fields, 50 per call."""
    settings.OUTBOX_ESP_BATCH_SIZE = 50
    settings.OUTBOX_MERGE_FIELD_FORMAT = MAILGUN_FIELD
    return anymail_test_backend


DELEGATES = [
    ("H.E. Ms.", "Kristina", "Zetterlund", "kristina.zetterlund@gov.se"),
    ("Mr.", "Chidi", "O'Brien", "chidi.obrien@mission.example"),
    ("", "Ana", "<b>Bold</b> & Co", "ana@example.org"),
]


def _invite(event, count, *, start=0, **context):
    items = []
    for number in range(start, start + count):
        honorific, first, last, address = DELEGATES[number % len(DELEGATES)]
        local, _at, domain = address.partition("@")
        items.append(
            dict(
                kind="invitation",
                dedupe_key=f"invitation:{number}",
                event=event,
                to_email=f"{local}+{number}@{domain}",
                to_name=f"{first} {last}",
                context={"first_name": first, "last_name": last, "honorific": honorific} | context,
            )
        )
    with mock.patch.object(services, "queue_for_sending"):
        return services.enqueue_many(items)


def _as_the_recipient_reads_it(sent, address):
    """Apply the merge data the way the ESP does for one recipient."""
    params = sent.anymail_test_params
    subject, text = params["subject"], params["text_body"]
    html = params["html_body"]
    for key, value in params["merge_data"][address].items():
        field = MAILGUN_FIELD.replace("{}", key)
        subject, text, html = (part.replace(field, value) for part in (subject, text, html))
    return subject, text, html


def test_a_batchable_kind_goes_out_in_batches_up_to_the_esp_limit(esp_batches, event):
    messages = _invite(event, 120)

    assert services.send_messages([m.pk for m in messages]) == 120

    assert [len(sent.to) for sent in esp_batches] == [50, 50, 20]
    assert all(sent.anymail_test_params["is_batch_send"] for sent in esp_batches)
    assert Message.objects.filter(status=Message.Status.SENT).count() == 120


def test_each_recipient_reads_exactly_what_a_single_send_would_give(esp_batches, event):
    messages = _invite(event, 6)

    services.send_messages([m.pk for m in messages])

    [sent] = esp_batches
    for message in messages:
        alone = rendering.render(message)
        assert _as_the_recipient_reads_it(sent, message.to_email) == (
            alone.subject,
            alone.body,
            alone.alternatives[0][0],
        )


def test_names_with_markup_are_escaped_in_html_and_as_typed_in_text(esp_batches, event):
    messages = _invite(event, 3)

    services.send_messages([m.pk for m in messages])

    [sent] = esp_batches
    bold = next(m for m in messages if m.to_email.startswith("ana"))
    _subject, text, html = _as_the_recipient_reads_it(sent, bold.to_email)
    assert "Dear Ana <b>Bold</b> & Co," in text
    assert "&lt;b&gt;Bold&lt;/b&gt; &amp; Co" in html
    assert "<b>Bold</b>" not in html


def test_each_recipient_gets_their_own_message_id_and_unsubscribe_link(esp_batches, event):
    messages = _invite(event, 4)

    services.send_messages([m.pk for m in messages])

    [sent] = esp_batches
    params = sent.anymail_test_params
    for message in messages:
        headers = params["merge_headers"][message.to_email]
        assert headers["Message-ID"] == message.message_id_header
        assert headers["List-Unsubscribe"] == f"<{rendering.unsubscribe_url(message)}>"
        assert params["merge_metadata"][message.to_email] == {"plenary_message": str(message.pk)}
    assert params["extra_headers"]["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert "Message-ID" not in params["extra_headers"]


def test_rows_record_their_esp_id_and_personal_subject(esp_batches, event):
    MessageTemplate.objects.create(
        event=event, kind="invitation", subject="{first_name}, join us: {event_title}"
    )
    messages = _invite(event, 3)

    services.send_messages([m.pk for m in messages])

    row = Message.objects.get(pk=messages[0].pk)
    assert row.subject == "Kristina, join us: Peacekeeping in Africa"
    assert row.esp_message_id == "0"
    assert row.attempts == 1


def test_a_suppressed_address_is_left_out_of_the_batch(esp_batches, event):
    messages = _invite(event, 5)
    Suppression.objects.create(email=messages[2].to_email, reason=Suppression.Reason.BOUNCED)

    services.send_messages([m.pk for m in messages])

    [sent] = esp_batches
    assert messages[2].to_email not in sent.anymail_test_params["merge_data"]
    assert Message.objects.get(pk=messages[2].pk).status == Message.Status.SUPPRESSED


def test_an_address_the_esp_rejects_fails_alone(esp_batches, event):
    messages = _invite(event, 3)
    rejected = messages[1].to_email
    statuses = {
        m.to_email: AnymailRecipientStatus(
            message_id="batch-1", status="rejected" if m.to_email == rejected else "queued"
        )
        for m in messages
    }
    with mock.patch(
        "anymail.backends.test.EmailBackend.parse_recipient_status", return_value=statuses
    ):
        services.send_messages([m.pk for m in messages])

    rows = {row.to_email: row for row in Message.objects.all()}
    assert rows[rejected].status == Message.Status.FAILED
    assert "rejected" in rows[rejected].error
    assert {rows[m.to_email].status for m in messages if m.to_email != rejected} == {
        Message.Status.SENT
    }


def _failing_send(error):
    def send(self, email_messages):
        raise error

    return mock.patch("anymail.backends.test.EmailBackend.send_messages", send)


def test_a_transient_esp_error_retries_the_whole_batch_together(esp_batches, event):
    messages = _invite(event, 4)

    with (
        _failing_send(AnymailAPIError("Service unavailable", status_code=503)),
        mock.patch.object(services, "queue_for_sending") as queued,
    ):
        services.send_messages([m.pk for m in messages])

    rows = Message.objects.all()
    assert {row.status for row in rows} == {Message.Status.PENDING}
    assert len({row.not_before for row in rows}) == 1
    [call] = queued.call_args_list
    assert sorted(call.args[0]) == sorted(m.pk for m in messages)


def test_a_permanent_esp_error_fails_each_message_that_the_esp_refuses_alone(esp_batches, event):
    messages = _invite(event, 3)

    with _failing_send(AnymailAPIError("Bad request", status_code=400)):
        services.send_messages([m.pk for m in messages])

    assert {row.status for row in Message.objects.all()} == {Message.Status.FAILED}
    assert all("Bad request" in row.error for row in Message.objects.all())


@pytest.mark.parametrize("template", ["tests/emails/conditional", "tests/emails/filtered"])
def test_a_kind_that_does_not_merge_cleanly_goes_out_one_by_one(esp_batches, event, template):
    # A recipient's value in a condition or through a filter cannot become a merge field;
    # the first recipient (an H.E.) would read correctly, the others would not.
    registry.register(dataclasses.replace(kinds.ANNOUNCEMENT, template=template))
    messages = _invite(event, 4)

    services.send_messages([m.pk for m in messages])

    assert [len(sent.to) for sent in esp_batches] == [1, 1, 1, 1]
    assert Message.objects.filter(status=Message.Status.SENT).count() == 4


def test_kinds_without_recipient_fields_are_sent_one_by_one(esp_batches, event, confirmation_kind):
    with mock.patch.object(services, "queue_for_sending"):
        messages = [
            services.enqueue(
                kind="registration_confirmed",
                dedupe_key=f"confirmed:{n}",
                event=event,
                to_email=f"delegate{n}@mission.example",
            )
            for n in range(3)
        ]

    services.send_messages([m.pk for m in messages])

    assert [len(sent.to) for sent in esp_batches] == [1, 1, 1]


def test_messages_with_different_bodies_are_not_merged(esp_batches, event):
    messages = _invite(event, 2, body="Lunch at one.") + _invite(
        event, 2, start=2, body="Lunch at two."
    )

    services.send_messages([m.pk for m in messages])

    assert sorted(len(sent.to) for sent in esp_batches) == [2, 2]


def test_batching_never_applies_to_a_backend_without_a_batch_api(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.OUTBOX_ESP_BATCH_SIZE = 50
    settings.OUTBOX_MERGE_FIELD_FORMAT = MAILGUN_FIELD

    assert batching.configured() is None


def test_known_esps_batch_by_default(settings):
    settings.OUTBOX_ESP_BATCH_SIZE = None
    settings.OUTBOX_MERGE_FIELD_FORMAT = ""
    settings.EMAIL_BACKEND = "anymail.backends.mailgun.EmailBackend"
    assert batching.configured().size == 1000

    settings.EMAIL_BACKEND = "anymail.backends.postmark.EmailBackend"  # templates only
    assert batching.configured() is None

    settings.OUTBOX_ESP_BATCH_SIZE = 1
    settings.EMAIL_BACKEND = "anymail.backends.mailgun.EmailBackend"
    assert batching.configured() is None


def _esp_answer(payload):
    response = requests.Response()
    response.status_code = 200
    response._content = json.dumps(payload).encode()
    response.encoding = "utf-8"
    return response


def test_mailgun_receives_recipient_variables_for_its_merge_fields(
    db, settings, announcement_kind, event
):
    settings.EMAIL_BACKEND = "anymail.backends.mailgun.EmailBackend"
    settings.ANYMAIL = {"MAILGUN_API_KEY": "key-test"}
    settings.OUTBOX_ESP_BATCH_SIZE = None
    settings.OUTBOX_MERGE_FIELD_FORMAT = ""
    messages = _invite(event, 3)

    with mock.patch(
        "requests.Session.request",
        return_value=_esp_answer({"id": "<batch@mg.example>", "message": "Queued"}),
    ) as request:
        services.send_messages([m.pk for m in messages])

    [call] = request.call_args_list
    form = dict(call.kwargs["data"])
    variables = json.loads(form["recipient-variables"])
    kristina = messages[0].to_email
    assert variables[kristina]["t_salutation"] == "Dear H.E. Ms. Zetterlund"
    assert "%recipient.h_salutation%" in form["html"]
    assert "%recipient.t_salutation%" in form["text"]
    assert variables[kristina]["h:Message-Id"] == messages[0].message_id_header
    rows = Message.objects.filter(status=Message.Status.SENT)
    assert rows.count() == 3
    assert {row.esp_message_id for row in rows} == {"<batch@mg.example>"}


@pytest.mark.filterwarnings("ignore:django-anymail has dropped official support for SendGrid")
def test_sendgrid_receives_a_personalization_per_recipient(db, settings, announcement_kind, event):
    settings.EMAIL_BACKEND = "anymail.backends.sendgrid.EmailBackend"
    settings.ANYMAIL = {"SENDGRID_API_KEY": "SG.test"}
    settings.OUTBOX_ESP_BATCH_SIZE = None
    settings.OUTBOX_MERGE_FIELD_FORMAT = ""
    messages = _invite(event, 2)

    answer = _esp_answer({})
    answer.status_code = 202
    with mock.patch("requests.Session.request", return_value=answer) as request:
        services.send_messages([m.pk for m in messages])

    [call] = request.call_args_list
    payload = json.loads(call.kwargs["data"])
    personal = {p["to"][0]["email"]: p for p in payload["personalizations"]}
    kristina = personal[messages[0].to_email]
    assert kristina["substitutions"]["-t_salutation-"] == "Dear H.E. Ms. Zetterlund"
    assert kristina["headers"]["Message-ID"] == messages[0].message_id_header
    html = next(c["value"] for c in payload["content"] if c["type"] == "text/html")
    assert "-h_salutation-" in html
    assert Message.objects.filter(status=Message.Status.SENT).count() == 2


def test_a_tracking_event_finds_its_own_row_in_a_batch(esp_batches, event):
    from anymail.signals import AnymailTrackingEvent

    from notifications import tracking

    messages = _invite(event, 3)
    services.send_messages([m.pk for m in messages])
    second = messages[1]

    tracking.record(
        esp_name="Test",
        event=AnymailTrackingEvent(
            event_type="bounced",
            message_id="0",
            recipient=second.to_email,
            event_id="evt-1",
        ),
    )

    assert Message.objects.get(pk=second.pk).delivery_status == Message.DeliveryStatus.BOUNCED
    assert Message.objects.get(pk=messages[0].pk).delivery_status is None
    assert mail.outbox  # sent through the test backend


@pytest.fixture
def smtp_like(db, settings, announcement_kind):
    """Django's locmem backend: no batch API, one message per call, as over SMTP."""
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    return mail.outbox


def test_without_a_batch_api_each_recipient_gets_their_own_email_from_one_rendering(
    smtp_like, event
):
    messages = _invite(event, 6)

    with mock.patch.object(rendering, "render", wraps=rendering.render) as renders:
        assert services.send_messages([m.pk for m in messages]) == 6

    # Once with markers, then once per pattern of empty values (with and without honorific).
    assert renders.call_count == 3
    assert [sent.to for sent in smtp_like] == [[rendering.address(m)] for m in messages]
    for sent, message in zip(smtp_like, messages, strict=True):
        alone = rendering.render(message)
        assert (sent.subject, sent.body, sent.alternatives[0][0]) == (
            alone.subject,
            alone.body,
            alone.alternatives[0][0],
        )
        assert sent.extra_headers == alone.extra_headers


def test_without_a_batch_api_a_kind_that_does_not_merge_is_rendered_per_recipient(smtp_like, event):
    registry.register(dataclasses.replace(kinds.ANNOUNCEMENT, template="tests/emails/conditional"))
    messages = _invite(event, 3)

    services.send_messages([m.pk for m in messages])

    bodies = [sent.body for sent in smtp_like]
    assert ["Excellency" in body for body in bodies] == [True, True, False]
    assert "Dear colleague" in bodies[2]


def _people(event, people, **context):
    items = [
        dict(
            kind="invitation",
            dedupe_key=f"invitation:{address}",
            event=event,
            to_email=address,
            context={"first_name": first, "last_name": last, "honorific": ""} | context,
        )
        for first, last, address in people
    ]
    with mock.patch.object(services, "queue_for_sending"):
        return services.enqueue_many(items)


def test_a_value_that_looks_like_a_merge_field_is_never_filled_in_again(smtp_like, event):
    link = '<a href="https://evil.example/login">Verify your account</a>'
    messages = _people(
        event,
        [
            ("Ana", "Silva", "ana@example.org"),
            ("[[plenary-value:t_last_name]]", link, "victim@example.org"),
        ],
    )

    services.send_messages([m.pk for m in messages])

    victim = next(sent for sent in smtp_like if sent.to == ["victim@example.org"])
    assert link not in victim.alternatives[0][0]
    assert "&lt;a href=" in victim.alternatives[0][0]


def test_a_value_the_kind_did_not_name_never_reaches_another_recipient(smtp_like, event):
    registry.register(
        dataclasses.replace(
            kinds.ANNOUNCEMENT,
            context=lambda message: {
                "body": f"Your link: /invitations/{message.pk}.s{message.pk}/"
            },
        )
    )
    ana, ben = _people(
        event, [("Ana", "Silva", "ana@example.org"), ("Ben", "Okafor", "ben@example.org")]
    )

    services.send_messages([ana.pk, ben.pk])

    to_ben = next(sent for sent in smtp_like if sent.to == ["ben@example.org"])
    assert f"/invitations/{ben.pk}.s{ben.pk}/" in to_ben.body
    assert f"/invitations/{ana.pk}." not in to_ben.body


def test_attachments_of_their_own_keep_messages_out_of_a_batch(esp_batches, event):
    registry.register(
        dataclasses.replace(
            kinds.ANNOUNCEMENT,
            attachments=lambda message: [
                registry.Attachment(f"ticket-{message.pk}.txt", str(message.pk), "text/plain")
            ],
        )
    )
    messages = _people(
        event, [("Ana", "Silva", "ana@example.org"), ("Ben", "Okafor", "ben@example.org")]
    )

    services.send_messages([m.pk for m in messages])

    assert [len(sent.to) for sent in esp_batches] == [1, 1]
    for sent, message in zip(esp_batches, messages, strict=True):
        assert sent.attachments[0][0] == f"ticket-{message.pk}.txt"


def test_an_esp_refusing_a_batch_outright_sends_it_one_by_one(esp_batches, event):
    messages = _invite(event, 3)
    calls = []

    def refuse_batches(self, email_messages):
        calls.append(len(email_messages[0].to))
        if len(email_messages[0].to) > 1:
            raise AnymailAPIError("Invalid address in personalizations", status_code=400)
        return 1

    with mock.patch("anymail.backends.test.EmailBackend.send_messages", refuse_batches):
        assert services.send_messages([m.pk for m in messages]) == 3

    assert calls == [3, 1, 1, 1]
    assert {row.status for row in Message.objects.all()} == {Message.Status.SENT}


def test_a_batch_tracking_event_for_an_unknown_address_marks_no_row(esp_batches, event):
    from anymail.signals import AnymailTrackingEvent

    from notifications import tracking

    messages = _invite(event, 3)
    services.send_messages([m.pk for m in messages])

    tracking.record(
        esp_name="Test",
        event=AnymailTrackingEvent(
            event_type="complained", message_id="0", recipient="cy+alias@example.org"
        ),
    )

    assert not Message.objects.exclude(delivery_status=None).exists()


def test_text_that_only_looks_like_a_merge_field_is_left_alone():
    sendgrid = batching.EspBatching(1000, "-{}-")

    filled = sendgrid.fill("a-b-t_name- and -token-like- text", {"t_name": "Ana", "h_name": "Ana"})

    assert filled == "a-bAna and -token-like- text"


@pytest.mark.parametrize("token", ["ab-cd_ef-gh", "x-t_salutation-y"])
def test_an_unsubscribe_token_with_hyphens_does_not_split_a_sendgrid_batch(
    esp_batches, event, settings, token
):
    settings.OUTBOX_MERGE_FIELD_FORMAT = "-{}-"
    messages = _invite(event, 3)
    Message.objects.filter(pk=messages[0].pk).update(unsubscribe_token=token)

    services.send_messages([m.pk for m in messages])

    assert [len(sent.to) for sent in esp_batches] == ([3] if token == "ab-cd_ef-gh" else [1, 1, 1])
