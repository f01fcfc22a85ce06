"""The organizer's registrants page: who registered, how full it is, and deciding in bulk."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from events.models import Event, Membership
from notifications.models import Message
from registration.models import Question, Registration
from tests.factories import EventFactory, MembershipFactory, SessionFactory


def list_url(event, **query):
    url = reverse("registrants:list", kwargs={"slug": event.slug})
    return url + ("?" + "&".join(f"{key}={value}" for key, value in query.items()) if query else "")


def bulk_url(event):
    return reverse("registrants:bulk", kwargs={"slug": event.slug})


def decision_url(registration, action):
    return reverse(
        "registrants:decision",
        kwargs={
            "slug": registration.event.slug,
            "registration_id": registration.pk,
            "action": action,
        },
    )


def member_client(client, organization, role):
    client.force_login(MembershipFactory(organization=organization, role=role).user)
    return client


@pytest.fixture
def manager_client(client, manager):
    client.force_login(manager)
    return client


@pytest.fixture
def approval_event(organization):
    return EventFactory(organization=organization, requires_approval=True)


def test_page_lists_registrants_with_counts_and_seats(manager_client, hybrid_event, register):
    register(
        hybrid_event,
        honorific="H.E. Mr.",
        first_name="Kwame",
        last_name="Mensah",
        organization_name="Permanent Mission of Ghana",
        country="GH",
    )
    register(hybrid_event)
    register(hybrid_event)  # waitlisted: two seats in person
    register(hybrid_event, attendance_mode="virtual")

    response = manager_client.get(list_url(hybrid_event))

    assert response.status_code == 200
    page = response.text
    assert "H.E. Mr. Kwame Mensah" in page
    assert "Permanent Mission of Ghana" in page
    assert "Ghana" in page
    assert "4 registrations" in page
    assert '<span class="status-count__number">3</span>' in page  # confirmed
    assert "2 of 2 taken" in page
    assert '<progress class="seat__bar" max="2" value="2"' in page
    assert "1 of 100 taken" in page


def test_page_shows_session_seats(manager_client, hybrid_event, register):
    lunch = SessionFactory(event=hybrid_event, title="Working lunch", capacity=20)
    register(hybrid_event, sessions=[lunch.pk])

    response = manager_client.get(list_url(hybrid_event))

    assert "Working lunch" in response.text
    assert "1 of 20 taken" in response.text


@pytest.mark.parametrize(
    ("query", "shown", "hidden"),
    [
        ({"status": "waitlisted"}, "Third", "First"),
        ({"attendance_mode": "virtual"}, "Online", "First"),
        ({"organization": "ghana"}, "First", "Third"),
        ({"country": "SE"}, "Online", "First"),
    ],
)
def test_filters_narrow_the_list(manager_client, hybrid_event, register, query, shown, hidden):
    register(hybrid_event, last_name="First", organization_name="Mission of Ghana", country="GH")
    register(hybrid_event, last_name="Second")
    register(hybrid_event, last_name="Third")
    register(hybrid_event, last_name="Online", attendance_mode="virtual", country="SE")

    response = manager_client.get(list_url(hybrid_event, **query))

    assert f"Kristina {shown}" in response.text
    assert f"Kristina {hidden}" not in response.text


def test_bulk_approve_approves_each_and_reports_the_refused(
    manager_client, approval_event, register
):
    first = register(approval_event)
    second = register(approval_event)
    already_declined = register(approval_event)
    Registration.objects.filter(pk=already_declined.pk).update(status="declined")

    response = manager_client.post(
        bulk_url(approval_event),
        {
            "action": "approve",
            "registrations": [first.pk, second.pk, already_declined.pk],
            "status": "pending",
        },
        follow=True,
    )

    assert response.redirect_chain[-1][0] == list_url(approval_event, status="pending")
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.status == second.status == Registration.Status.CONFIRMED
    assert "2 registrations approved." in response.text
    assert "1 registration was left unchanged" in response.text
    assert already_declined.email in response.text
    assert "Only a registration awaiting approval can be approved." in response.text


def test_bulk_decline_asks_first_and_changes_nothing(manager_client, approval_event, register):
    registrations = [register(approval_event) for _ in range(3)]

    response = manager_client.post(
        bulk_url(approval_event),
        {"action": "decline", "registrations": [r.pk for r in registrations], "note": "Full."},
    )

    assert response.status_code == 200
    assert "Decline these 3 registrations?" in response.text
    assert "Yes, decline 3" in response.text
    assert set(Registration.objects.values_list("status", flat=True)) == {"pending"}
    assert not Message.objects.filter(kind="registration_declined").exists()


def test_bulk_decline_confirmed_declines_with_the_message(manager_client, approval_event, register):
    registrations = [register(approval_event) for _ in range(2)]

    response = manager_client.post(
        bulk_url(approval_event),
        {
            "action": "decline",
            "registrations": [r.pk for r in registrations],
            "note": "The room holds heads of delegation only.",
            "confirmed": "1",
        },
        follow=True,
    )

    assert "2 registrations declined." in response.text
    assert set(Registration.objects.values_list("status", flat=True)) == {"declined"}
    assert set(Registration.objects.values_list("decision_note", flat=True)) == {
        "The room holds heads of delegation only."
    }
    assert Message.objects.filter(kind="registration_declined").count() == 2


def test_decline_confirmation_page_on_get_changes_nothing(manager_client, approval_event, register):
    registration = register(approval_event)

    response = manager_client.get(decision_url(registration, "decline"))

    assert response.status_code == 200
    assert "Decline this registration?" in response.text
    registration.refresh_from_db()
    assert registration.status == Registration.Status.PENDING


def test_cancelling_one_frees_the_seat_for_the_waitlist(manager_client, hybrid_event, register):
    leaving = register(hybrid_event)
    register(hybrid_event)
    waiting = register(hybrid_event)

    response = manager_client.post(decision_url(leaving, "cancel"), follow=True)

    assert "1 registration cancelled." in response.text
    leaving.refresh_from_db()
    waiting.refresh_from_db()
    assert leaving.status == Registration.Status.CANCELLED
    assert waiting.status == Registration.Status.CONFIRMED


def test_approving_one_needs_a_post(manager_client, approval_event, register):
    registration = register(approval_event)

    assert manager_client.get(decision_url(registration, "approve")).status_code == 405
    registration.refresh_from_db()
    assert registration.status == Registration.Status.PENDING


def test_another_organizations_page_is_404(client, outsider, hybrid_event, register):
    registration = register(hybrid_event)
    client.force_login(outsider)

    assert client.get(list_url(hybrid_event)).status_code == 404
    assert client.post(decision_url(registration, "cancel")).status_code == 404
    assert (
        client.get(
            reverse("registrants:export_csv", kwargs={"slug": hybrid_event.slug})
        ).status_code
        == 404
    )
    registration.refresh_from_db()
    assert registration.status == Registration.Status.CONFIRMED


def test_viewer_sees_the_list_but_may_not_act(client, organization, approval_event, register):
    registration = register(approval_event)
    viewer = member_client(client, organization, Membership.Role.VIEWER)

    page = viewer.get(list_url(approval_event))
    bulk = viewer.post(
        bulk_url(approval_event), {"action": "approve", "registrations": [registration.pk]}
    )
    single = viewer.post(decision_url(registration, "approve"))

    assert page.status_code == 200
    assert registration.email in page.text
    assert 'id="bulk"' not in page.text
    assert bulk.status_code == single.status_code == 403
    registration.refresh_from_db()
    assert registration.status == Registration.Status.PENDING


def test_check_in_staff_may_not_see_the_list_or_export(
    client, organization, hybrid_event, register
):
    register(hybrid_event)
    staff = member_client(client, organization, Membership.Role.CHECK_IN)

    page = staff.get(list_url(hybrid_event))
    export = staff.get(reverse("registrants:export_csv", kwargs={"slug": hybrid_event.slug}))

    assert page.status_code == 403  # addresses and answers: the desk shows what the door needs
    assert export.status_code == 403


def test_manager_exports_the_filtered_list(manager_client, hybrid_event, register):
    register(hybrid_event, last_name="Mensah")
    register(hybrid_event, last_name="Zetterlund", attendance_mode="virtual")

    page = manager_client.get(list_url(hybrid_event))
    response = manager_client.get(
        reverse("registrants:export_csv", kwargs={"slug": hybrid_event.slug}),
        {"attendance_mode": "virtual"},
    )

    assert "Export CSV" in page.text
    assert "Export Excel" in page.text
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    text = response.content.decode("utf-8-sig")
    assert "Zetterlund" in text
    assert "Mensah" not in text


def test_query_count_does_not_grow_with_the_rows(manager_client, organization, register):
    def queries_for(rows):
        event = EventFactory(
            organization=organization, format=Event.Format.HYBRID, capacity_in_person=None
        )
        lunch = SessionFactory(event=event, capacity=100)
        for number in range(rows):
            register(
                event,
                organization_name=f"Mission {number}",
                country="GH",
                sessions=[lunch.pk],
                attendance_mode="virtual" if number % 2 else "in_person",
            )
        with CaptureQueriesContext(connection) as queries:
            response = manager_client.get(list_url(event))
        assert response.status_code == 200
        return len(queries)

    assert queries_for(50) == queries_for(5)


def test_manager_adds_edits_and_deletes_questions(manager_client, hybrid_event):
    url = reverse("registrants:questions", kwargs={"slug": hybrid_event.slug})
    kept = Question.objects.create(event=hybrid_event, label="Accessibility needs", order=2)
    removed = Question.objects.create(event=hybrid_event, label="Old question", order=3)

    response = manager_client.post(
        url,
        {
            "questions-TOTAL_FORMS": "3",
            "questions-INITIAL_FORMS": "2",
            "questions-MIN_NUM_FORMS": "0",
            "questions-MAX_NUM_FORMS": "50",
            "questions-0-id": kept.pk,
            "questions-0-label": "Accessibility needs",
            "questions-0-kind": "text",
            "questions-0-choices": "",
            "questions-0-required": "on",
            "questions-0-order": "2",
            "questions-1-id": removed.pk,
            "questions-1-label": "Old question",
            "questions-1-kind": "text",
            "questions-1-order": "3",
            "questions-1-DELETE": "on",
            "questions-2-label": "Will you join the working lunch?",
            "questions-2-kind": "choice",
            "questions-2-choices": "Yes\nNo\n",
            "questions-2-order": "1",
        },
    )

    assert response.status_code == 302
    assert [(q.label, q.choices, q.required) for q in hybrid_event.questions.all()] == [
        ("Will you join the working lunch?", ["Yes", "No"], False),
        ("Accessibility needs", [], True),
    ]


def test_a_choice_question_without_choices_is_refused(manager_client, hybrid_event):
    url = reverse("registrants:questions", kwargs={"slug": hybrid_event.slug})

    response = manager_client.post(
        url,
        {
            "questions-TOTAL_FORMS": "1",
            "questions-INITIAL_FORMS": "0",
            "questions-MIN_NUM_FORMS": "0",
            "questions-MAX_NUM_FORMS": "50",
            "questions-0-label": "Lunch?",
            "questions-0-kind": "choice",
            "questions-0-choices": "Yes",
            "questions-0-order": "0",
        },
    )

    assert response.status_code == 200
    assert "A choice question needs at least two choices." in response.text
    assert not Question.objects.exists()


def test_viewer_may_not_open_the_questions_page(client, organization, hybrid_event):
    viewer = member_client(client, organization, Membership.Role.VIEWER)

    response = viewer.get(reverse("registrants:questions", kwargs={"slug": hybrid_event.slug}))

    assert response.status_code == 403
