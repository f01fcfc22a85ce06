"""Ticket codes staff can type: ten characters with a check character, unique per event, found
by a unique prefix; older long codes keep working."""

import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse

from events.audit import Actor
from events.models import Membership
from registration import checkin, tickets
from registration.models import Registration
from tests.factories import EventFactory, MembershipFactory


def with_code(registration, code):
    Registration.objects.filter(pk=registration.pk).update(ticket_code=code)
    registration.refresh_from_db()
    return registration


def valid_code(payload):
    return payload + tickets.check_character(payload)


@pytest.fixture
def staff_client(client, organization):
    client.force_login(
        MembershipFactory(organization=organization, role=Membership.Role.CHECK_IN).user
    )
    return client


@pytest.fixture
def two_alike(hybrid_event, register):
    """Two tickets of the event whose codes share their first five characters."""
    ana = with_code(
        register(hybrid_event, first_name="Ana", last_name="Silva"), valid_code("K7PQX2MNA")
    )
    kofi = with_code(
        register(hybrid_event, first_name="Kofi", last_name="Mensah"), valid_code("K7PQX9HRT")
    )
    return ana, kofi


def test_new_codes_are_ten_characters_of_the_alphabet_with_a_valid_check(hybrid_event, register):
    codes = {register(hybrid_event).ticket_code for _ in range(3)}

    for code in codes:
        assert len(code) == 10
        assert set(code) <= set(tickets.ALPHABET)
        assert tickets.has_valid_check(code)
    assert len(codes) == 3


def test_check_character_catches_every_single_mistyped_character():
    code = tickets.new_ticket_code()

    for position in range(len(code)):
        for letter in tickets.ALPHABET:
            if letter != code[position]:
                typo = code[:position] + letter + code[position + 1 :]
                assert not tickets.has_valid_check(typo), typo


def test_codes_are_shown_in_two_groups_of_five(hybrid_event, register):
    registration = with_code(register(hybrid_event), valid_code("K7PQX2MNA"))

    assert registration.ticket_code_grouped == f"K7PQX 2MNA{registration.ticket_code[-1]}"


def test_a_unique_prefix_checks_in_its_ticket(hybrid_event, two_alike):
    ana, _kofi = two_alike

    registration, already = checkin.check_in(
        actor=Actor.system("test"), event=hybrid_event, ticket_code="k7pq-x2m"
    )

    assert (registration, already) == (ana, False)


def test_a_prefix_two_tickets_share_is_refused_naming_both(hybrid_event, two_alike):
    ana, kofi = two_alike

    with pytest.raises(checkin.AmbiguousTicketCode) as refusal:
        checkin.check_in(actor=Actor.system("test"), event=hybrid_event, ticket_code="K7PQX")

    assert set(refusal.value.matches) == {ana, kofi}
    assert ana.ticket_code_grouped in refusal.value.message
    assert kofi.ticket_code_grouped in refusal.value.message
    assert Registration.objects.filter(checked_in_at__isnull=False).count() == 0


def test_a_prefix_shorter_than_four_characters_is_not_tried(hybrid_event, two_alike):
    with pytest.raises(checkin.TicketNotFound) as refusal:
        checkin.check_in(actor=Actor.system("test"), event=hybrid_event, ticket_code="K7P")

    assert "at least 4 characters" in refusal.value.message


def test_a_typo_in_a_whole_code_is_caught_by_the_check_character(hybrid_event, register):
    registration = register(hybrid_event)
    code = registration.ticket_code
    wrong = "A" if code[3] != "A" else "B"
    typo = code[:3] + wrong + code[4:]

    with pytest.raises(checkin.TicketNotFound) as refusal:
        checkin.check_in(actor=Actor.system("test"), event=hybrid_event, ticket_code=typo)

    assert refusal.value.mistyped
    assert "typo" in refusal.value.message
    registration.refresh_from_db()
    assert registration.checked_in_at is None


def test_long_codes_issued_before_keep_checking_in(hybrid_event, register):
    old = with_code(register(hybrid_event), "T9P36SFDRAVHJJLJ6UZ6V83ZA2")

    registration, already = checkin.check_in(
        actor=Actor.system("test"),
        event=hybrid_event,
        ticket_code="T9P3 6SFD RAVH JJLJ 6UZ6 V83Z A2",
    )

    assert (registration, already) == (old, False)
    assert old.ticket_code_grouped == "T9P3 6SFD RAVH JJLJ 6UZ6 V83Z A2"


def test_a_code_is_unique_within_its_event_only(organization, hybrid_event, register):
    code = valid_code("ABCDEFGHJ")
    with_code(register(hybrid_event), code)
    other_event = EventFactory(organization=organization)

    with_code(register(other_event), code)  # another event may hold the same code
    with pytest.raises(IntegrityError), transaction.atomic():
        with_code(register(hybrid_event), code)


def test_registering_draws_again_when_the_code_is_taken(hybrid_event, register, monkeypatch):
    taken = register(hybrid_event).ticket_code
    fresh = valid_code("ZZZZZZZZZ")
    draws = iter([fresh])
    monkeypatch.setattr(tickets, "new_ticket_code", lambda: next(draws))
    # The first code a new registration gets is the one already taken.
    monkeypatch.setattr(Registration._meta.get_field("ticket_code"), "_get_default", lambda: taken)

    registration = register(hybrid_event)

    assert registration.ticket_code == fresh
    assert Registration.objects.filter(event=hybrid_event).count() == 2


def test_desk_shows_both_tickets_a_typed_prefix_matches(staff_client, hybrid_event, two_alike):
    ana, kofi = two_alike

    page = staff_client.post(
        reverse("checkin:desk", kwargs={"slug": hybrid_event.slug}), {"ticket_code": "k7pqx"}
    )

    content = page.content.decode()
    assert "2 tickets start with K7PQX" in content
    assert "Nobody was checked in." in content
    for registration in (ana, kofi):
        assert registration.ticket_code_grouped in content
        assert registration.full_name in content
        assert (
            reverse(
                "checkin:registrant",
                kwargs={"slug": hybrid_event.slug, "registration_id": registration.pk},
            )
            in content
        )
    assert Registration.objects.filter(checked_in_at__isnull=False).count() == 0


def test_desk_says_a_whole_code_has_a_typo(staff_client, hybrid_event, register):
    code = register(hybrid_event).ticket_code
    typo = code[:-1] + ("A" if code[-1] != "A" else "B")

    page = staff_client.post(
        reverse("checkin:desk", kwargs={"slug": hybrid_event.slug}), {"ticket_code": typo}
    )

    assert "This code has a typo" in page.content.decode()


def test_api_refuses_a_shared_prefix_naming_both(hybrid_event, two_alike, organization):
    from rest_framework.test import APIClient

    ana, kofi = two_alike
    client = APIClient()
    client.force_authenticate(
        MembershipFactory(organization=organization, role=Membership.Role.CHECK_IN).user
    )

    answer = client.post(
        f"/api/v1/events/{hybrid_event.slug}/checkins/", {"ticket_code": "K7PQ-X"}, format="json"
    )
    unique = client.post(
        f"/api/v1/events/{hybrid_event.slug}/checkins/", {"ticket_code": "K7PQX2"}, format="json"
    )

    assert answer.status_code == 400
    message = answer.json()["ticket_code"][0]
    assert ana.ticket_code_grouped in message and kofi.ticket_code_grouped in message
    assert unique.status_code == 200
    assert unique.json()["registration"]["id"] == ana.pk
