"""Nothing accepted can later fail to send for its shape: a name or address that passes the
shared validators always makes an email Django (and anymail) can build and send."""

import email
from email import policy

import pytest
from anymail.utils import parse_address_list
from django.core.exceptions import ValidationError
from django.core.mail import EmailMultiAlternatives
from django.core.mail.message import sanitize_address
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from events.validators import validate_email_address, validate_name
from notifications import services as outbox
from notifications.models import Message
from notifications.rendering import address
from registration.models import Registration

# Text from every part of Unicode, weighted toward what breaks headers: line breaks, quotes,
# commas, angle brackets, encoded-word markers, bidi and zero-width characters.
AWKWARD = st.sampled_from(
    [*'\r\n\t\x00"\\,;:<>()@=?[]', "=?utf-8?q?", "\u202e", "\u200b", "\u200d", "\u2028"]
)
NAMES = st.lists(st.one_of(st.characters(), AWKWARD), max_size=40).map("".join)
ADDRESSES = st.one_of(
    st.emails(),
    st.builds(lambda local, domain: f"{local}@{domain}", NAMES, NAMES),
)


def _passes(validator, value):
    try:
        validator(value)
    except ValidationError:
        return False
    return True


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.filter_too_much])
@given(first=NAMES, last=NAMES, to_email=ADDRESSES)
def test_whatever_passes_validation_builds_and_serialises_an_email(first, last, to_email):
    first, last, to_email = first.strip(), last.strip(), to_email.strip().lower()
    assume(
        _passes(validate_name, first)
        and _passes(validate_name, last)
        and _passes(validate_email_address, to_email)
    )
    to = address(Message(to_name=f"{first} {last}".strip(), to_email=to_email))

    raw = EmailMultiAlternatives(subject="Confirmed", body="…", to=[to]).message().as_bytes()

    sent = email.message_from_bytes(raw, policy=policy.default)
    assert [(a.display_name, a.addr_spec.lower()) for a in sent["To"].addresses] == [
        (f"{first} {last}".strip(), to_email)
    ]
    assert "Bcc" not in sent
    sanitize_address(to, "utf-8")  # what the SMTP backend does to each recipient
    assert parse_address_list([to])[0].addr_spec.lower() == to_email  # what anymail's ESPs do


@pytest.mark.parametrize(
    ("first_name", "last_name"),
    [
        ('Zoë "Kiki"', "O'Brien, Jr."),
        ("Kristina =?", "<Zetterlund> ?="),
        ("محمد\u200cرضا", "شجریان"),
        ("José María", "Nguyễn (Deputy)"),
    ],
)
def test_an_awkward_but_valid_name_gets_its_confirmation(
    anonymous_client, hybrid_event, mailoutbox, first_name, last_name
):
    response = anonymous_client.post(
        f"/api/v1/events/{hybrid_event.slug}/registrations/",
        {
            "email": "delegate@mission.example",
            "first_name": first_name,
            "last_name": last_name,
            "attendance_mode": "in_person",
            "consent": True,
        },
        format="json",
    )
    assert response.status_code == 201

    outbox.send_messages(list(Message.objects.values_list("pk", flat=True)))

    message = Message.objects.get()
    assert message.status == Message.Status.SENT, message.error
    sent = email.message_from_bytes(mailoutbox[0].message().as_bytes(), policy=policy.default)
    assert sent["To"].addresses[0].display_name == f"{first_name} {last_name}"
    assert sent["To"].addresses[0].addr_spec == "delegate@mission.example"
    assert Registration.objects.get().status == Registration.Status.CONFIRMED
