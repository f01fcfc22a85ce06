"""The check-in desk in the workspace, at the door on a phone, with and without htmx."""

from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from events.audit import Actor
from events.models import Membership
from registration import checkin
from registration.models import Registration
from tests.factories import EventFactory, MembershipFactory


def desk_url(event):
    return reverse("checkin:desk", kwargs={"slug": event.slug})


def registrant_url(registration):
    return reverse(
        "checkin:registrant",
        kwargs={"slug": registration.event.slug, "registration_id": registration.pk},
    )


def attendance_url(event):
    return reverse("checkin:attendance", kwargs={"slug": event.slug})


def login_as(client, organization, role):
    client.force_login(MembershipFactory(organization=organization, role=role).user)
    return client


@pytest.fixture
def staff_client(client, organization):
    return login_as(client, organization, Membership.Role.CHECK_IN)


@pytest.fixture
def delegate(hybrid_event, register):
    return register(
        hybrid_event,
        email="kristina.zetterlund@gov.se",
        honorific="H.E. Ms.",
        first_name="Kristina",
        last_name="Zetterlund",
        organization_name="Permanent Mission of Sweden",
    )


def test_check_in_staff_see_the_desk_with_the_count(staff_client, hybrid_event, delegate):
    response = staff_client.get(desk_url(hybrid_event))

    assert response.status_code == 200
    page = response.content.decode()
    assert 'name="ticket_code"' in page
    assert 'autocapitalize="characters"' in page and "autofocus" in page
    assert "Checked in <strong>0</strong> of 1" in page


def test_viewer_may_not_open_the_desk(client, organization, hybrid_event):
    login_as(client, organization, Membership.Role.VIEWER)

    assert client.get(desk_url(hybrid_event)).status_code == 403


def test_another_organizations_event_does_not_exist_for_me(client, outsider, hybrid_event):
    client.force_login(outsider)

    assert client.get(desk_url(hybrid_event)).status_code == 404


def test_signed_out_visitor_is_sent_to_sign_in(client, hybrid_event):
    response = client.get(desk_url(hybrid_event))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_posting_a_code_checks_in_and_shows_who(staff_client, hybrid_event, delegate):
    response = staff_client.post(
        desk_url(hybrid_event), {"ticket_code": delegate.ticket_code.lower()}
    )

    assert response.status_code == 200
    page = response.content.decode()
    assert "checkin-result--ok" in page
    assert "H.E. Ms. Kristina Zetterlund" in page
    assert "Permanent Mission of Sweden — in person" in page
    assert "Checked in <strong>1</strong> of 1" in page
    assert Registration.objects.get(pk=delegate.pk).checked_in_at is not None


def test_second_scan_says_already_with_the_time_in_the_events_zone(
    staff_client, hybrid_event, delegate
):
    first_scan = datetime(2019, 11, 12, 15, 4, tzinfo=UTC)  # 10:04 in New York
    checkin.check_in(
        actor=Actor.system("test"),
        event=hybrid_event,
        ticket_code=delegate.ticket_code,
        now=first_scan,
    )

    with time_machine.travel(datetime(2019, 11, 12, 15, 30, tzinfo=UTC)):
        page = staff_client.post(
            desk_url(hybrid_event), {"ticket_code": delegate.ticket_code}
        ).content.decode()

    assert "checkin-result--warn" in page
    assert "Already checked in at 10:04" in page


def test_check_in_on_an_earlier_day_shows_the_date(staff_client, hybrid_event, delegate):
    first_scan = datetime(2019, 11, 12, 15, 4, tzinfo=UTC)
    checkin.check_in(
        actor=Actor.system("test"),
        event=hybrid_event,
        ticket_code=delegate.ticket_code,
        now=first_scan,
    )

    with time_machine.travel(datetime(2019, 11, 13, 15, 0, tzinfo=UTC)):
        page = staff_client.post(
            desk_url(hybrid_event), {"ticket_code": delegate.ticket_code}
        ).content.decode()

    assert "Already checked in on 12 November, 10:04" in page


def test_unknown_code_says_so(staff_client, hybrid_event):
    page = staff_client.post(desk_url(hybrid_event), {"ticket_code": "ZZZZ-9999"}).content.decode()

    assert "checkin-result--error" in page
    assert "No ticket with this code for this event" in page
    assert "ZZZZ-9999" in page


def test_waitlisted_ticket_is_not_checked_in(staff_client, hybrid_event, register):
    register(hybrid_event)
    register(hybrid_event)
    waiting = register(hybrid_event)

    page = staff_client.post(
        desk_url(hybrid_event), {"ticket_code": waiting.ticket_code}
    ).content.decode()

    assert "Not confirmed: waitlisted" in page
    assert Registration.objects.get(pk=waiting.pk).checked_in_at is None


def test_empty_code_asks_for_one(staff_client, hybrid_event):
    page = staff_client.post(desk_url(hybrid_event), {"ticket_code": ""}).content.decode()

    assert "Type or scan a ticket code." in page


def test_htmx_post_returns_only_the_result_and_the_new_count(staff_client, hybrid_event, delegate):
    response = staff_client.post(
        desk_url(hybrid_event),
        {"ticket_code": delegate.ticket_code},
        headers={"HX-Request": "true", "HX-Target": "checkin-result"},
    )

    page = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in page
    assert "checkin-result--ok" in page
    assert 'id="checkin-count" class="checkin-count" hx-swap-oob="true"' in page
    assert f'id="registrant-{delegate.pk}"' in page


def test_search_finds_confirmed_in_person_registrants_by_organization(
    staff_client, hybrid_event, delegate, register
):
    register(hybrid_event, organization_name="Permanent Mission of Ghana", last_name="Mensah")
    register(hybrid_event, organization_name="Swedish Institute", attendance_mode="virtual")

    page = staff_client.get(desk_url(hybrid_event), {"q": "sweden"}).content.decode()

    assert "H.E. Ms. Kristina Zetterlund" in page
    assert "Mensah" not in page
    assert "Swedish Institute" not in page


def test_htmx_search_returns_only_the_list(staff_client, hybrid_event, delegate):
    response = staff_client.get(
        desk_url(hybrid_event),
        {"q": "zetter"},
        headers={"HX-Request": "true", "HX-Target": "search-results"},
    )

    page = response.content.decode()
    assert "<html" not in page and 'name="ticket_code"' not in page
    assert f'id="registrant-{delegate.pk}"' in page


def test_a_one_letter_search_lists_nobody(staff_client, hybrid_event, delegate):
    page = staff_client.get(desk_url(hybrid_event), {"q": "k"}).content.decode()

    assert f'id="registrant-{delegate.pk}"' not in page
    assert "Type at least 2 characters." in page


def test_check_in_button_beside_a_found_name(staff_client, hybrid_event, delegate):
    response = staff_client.post(registrant_url(delegate), {"q": "Sweden"})

    page = response.content.decode()
    assert "checkin-result--ok" in page
    assert "Checked in " in page and f'id="registrant-{delegate.pk}"' in page
    assert Registration.objects.get(pk=delegate.pk).attended is True


def test_check_in_button_only_takes_registrations_of_this_event(
    staff_client, organization, hybrid_event, register
):
    elsewhere = register(EventFactory(organization=organization))

    response = staff_client.post(
        reverse(
            "checkin:registrant",
            kwargs={"slug": hybrid_event.slug, "registration_id": elsewhere.pk},
        )
    )

    assert response.status_code == 404
    assert Registration.objects.get(pk=elsewhere.pk).checked_in_at is None


def test_get_changes_nothing(staff_client, hybrid_event, delegate):
    staff_client.get(desk_url(hybrid_event), {"ticket_code": delegate.ticket_code, "q": "Sweden"})
    response = staff_client.get(registrant_url(delegate))

    assert response.status_code == 405
    assert Registration.objects.get(pk=delegate.pk).checked_in_at is None


def test_check_in_staff_may_not_import_attendance(staff_client, hybrid_event):
    assert staff_client.get(attendance_url(hybrid_event)).status_code == 403


def test_htmx_post_without_a_code_asks_for_one_in_the_result(staff_client, hybrid_event):
    response = staff_client.post(
        desk_url(hybrid_event), {"ticket_code": " "}, headers={"HX-Request": "true"}
    )

    assert "Type or scan a ticket code." in response.content.decode()


def test_a_check_in_queued_offline_keeps_the_time_it_was_typed(
    staff_client, hybrid_event, delegate
):
    typed = (timezone.now() - timedelta(seconds=40)).replace(microsecond=0)

    staff_client.post(
        desk_url(hybrid_event),
        {"ticket_code": delegate.ticket_code, "scanned_at": int(typed.timestamp() * 1000)},
    )

    delegate.refresh_from_db()
    assert delegate.checked_in_at == typed


def test_a_queued_time_in_the_future_or_long_ago_is_not_believed(
    staff_client, hybrid_event, delegate, register
):
    later = register(hybrid_event)
    before = timezone.now()

    for registration, typed in (
        (delegate, before + timedelta(hours=1)),
        (later, before - timedelta(hours=5)),
    ):
        staff_client.post(
            desk_url(hybrid_event),
            {"ticket_code": registration.ticket_code, "scanned_at": int(typed.timestamp() * 1000)},
        )

    for registration in (delegate, later):
        registration.refresh_from_db()
        assert before <= registration.checked_in_at <= timezone.now()
