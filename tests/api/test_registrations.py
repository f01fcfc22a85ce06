"""Registrations through the API: anyone registers for a public event; the organizer's team
reviews, decides, exports and counts. Another team's event is a 404."""

import csv
import io
from datetime import timedelta

import openpyxl
import pytest
from django.utils import timezone

from events.audit import Actor
from events.models import Event, Membership
from invitations import services as invitation_services
from notifications.models import Message
from registration import services
from registration.models import Question, Registration
from tests.factories import EventFactory, InvitationFactory, MembershipFactory, SessionFactory


def registrations_url(event, suffix=""):
    return f"/api/v1/events/{event.slug}/registrations/{suffix}"


def body(**fields):
    return {
        "email": "kristina.zetterlund@gov.se",
        "first_name": "Kristina",
        "last_name": "Zetterlund",
        "honorific": "H.E. Ms.",
        "position": "Ambassador",
        "organization_name": "Permanent Mission of Sweden",
        "country": "SE",
        "attendance_mode": "in_person",
        "consent": True,
    } | fields


@pytest.fixture
def check_in_client(client_for, organization):
    return client_for(
        MembershipFactory(organization=organization, role=Membership.Role.CHECK_IN).user
    )


@pytest.fixture
def viewer_client(client_for, viewer):
    return client_for(viewer)


# --- Registering (public) ----------------------------------------------------------------------


def test_registering_confirms_and_says_the_private_link_was_emailed(anonymous_client, hybrid_event):
    response = anonymous_client.post(registrations_url(hybrid_event), body(), format="json")

    assert response.status_code == 201
    registration = Registration.objects.get()
    assert response.json() == {
        "id": registration.pk,
        "status": "confirmed",
        "attendance_mode": "in_person",
        "detail": "Registered. The private link to see, change or cancel this registration "
        "was emailed to kristina.zetterlund@gov.se.",
    }
    assert registration.honorific == "H.E. Ms."


def test_registering_when_the_mode_is_full_waitlists(anonymous_client, hybrid_event, register):
    register(hybrid_event)
    register(hybrid_event)

    response = anonymous_client.post(registrations_url(hybrid_event), body(), format="json")

    assert response.status_code == 201
    assert response.json()["status"] == "waitlisted"


def test_registering_for_an_event_that_needs_approval_is_pending(anonymous_client, organization):
    event = EventFactory(organization=organization, requires_approval=True)

    response = anonymous_client.post(registrations_url(event), body(), format="json")

    assert response.status_code == 201
    assert response.json()["status"] == "pending"
    assert response.json()["attendance_mode"] == "in_person"


def test_a_logged_in_browser_registers_without_a_csrf_token(client, hybrid_event, manager):
    client.force_login(manager)

    response = client.post(registrations_url(hybrid_event), body(), content_type="application/json")

    assert response.status_code == 201


def test_registering_twice_answers_409_and_resends_the_link(anonymous_client, hybrid_event):
    anonymous_client.post(registrations_url(hybrid_event), body(), format="json")

    response = anonymous_client.post(
        registrations_url(hybrid_event),
        body(email="Kristina.Zetterlund@GOV.se", first_name="Someone"),
        format="json",
    )

    assert response.status_code == 409
    assert "already registered" in response.json()["detail"]
    assert Registration.objects.count() == 1
    assert Message.objects.filter(kind="registration_link").count() == 1


@pytest.mark.parametrize(
    ("change", "reason"),
    [
        ({"status": Event.Status.CANCELLED}, "This event has been cancelled."),
        (
            {"registration_closes_at": timezone.now() - timedelta(hours=1)},
            "Registration has closed.",
        ),
        ({"visibility": Event.Visibility.INVITATION_ONLY}, "This event is by invitation only."),
    ],
)
def test_registering_when_the_event_does_not_allow_it_answers_409(
    anonymous_client, hybrid_event, change, reason
):
    Event.objects.filter(pk=hybrid_event.pk).update(**change)

    response = anonymous_client.post(registrations_url(hybrid_event), body(), format="json")

    assert response.status_code == 409
    assert response.json() == {"detail": reason}
    assert not Registration.objects.exists()
    assert not Message.objects.exists()


def test_registering_for_a_draft_or_unknown_event_is_404(anonymous_client, organization):
    draft = EventFactory(organization=organization, draft=True)

    assert anonymous_client.post(registrations_url(draft), body(), format="json").status_code == 404
    assert (
        anonymous_client.post(
            "/api/v1/events/nope/registrations/", body(), format="json"
        ).status_code
        == 404
    )


@pytest.fixture
def lunch(hybrid_event):
    return SessionFactory(event=hybrid_event, title="Working lunch")


@pytest.fixture
def dietary_question(hybrid_event):
    return Question.objects.create(
        event=hybrid_event, label="Dietary needs", kind=Question.Kind.TEXT, required=True
    )


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"consent": False}, "consent"),
        ({"consent": None}, "consent"),
        ({"email": "not-an-email"}, "email"),
        ({"sessions": [999_999]}, "sessions"),
        ({"attendance_mode": "hologram"}, "attendance_mode"),
        ({"attendance_mode": ""}, "attendance_mode"),
        ({"answers": {}}, "answers"),
        ({"country": "XX"}, "country"),
    ],
)
def test_a_wrong_field_answers_400_and_writes_nothing(
    anonymous_client, hybrid_event, dietary_question, fields, field
):
    data = body(answers={str(dietary_question.pk): "Vegetarian"}) | fields
    if data["consent"] is None:
        del data["consent"]

    response = anonymous_client.post(registrations_url(hybrid_event), data, format="json")

    assert response.status_code == 400
    assert field in response.json()
    assert not Registration.objects.exists()
    assert not Message.objects.exists()


def test_a_mode_the_event_does_not_offer_is_refused_with_the_reason(anonymous_client, organization):
    in_person_only = EventFactory(organization=organization)

    response = anonymous_client.post(
        registrations_url(in_person_only), body(attendance_mode="virtual"), format="json"
    )

    assert response.status_code == 400
    assert response.json() == {"attendance_mode": ["This event has no virtual attendance."]}
    assert not Registration.objects.exists()


def test_registering_with_a_session_and_answers_keeps_them(
    anonymous_client, hybrid_event, lunch, dietary_question
):
    response = anonymous_client.post(
        registrations_url(hybrid_event),
        body(sessions=[lunch.pk], answers={str(dietary_question.pk): "Vegetarian"}),
        format="json",
    )

    assert response.status_code == 201
    registration = Registration.objects.get()
    assert list(registration.sessions.all()) == [lunch]
    assert registration.answers == {str(dietary_question.pk): "Vegetarian"}


def test_a_wrong_answer_is_a_400_keyed_by_its_question_id(anonymous_client, hybrid_event):
    diet = Question.objects.create(event=hybrid_event, label="Diet", kind=Question.Kind.CHOICE,
                                   choices=["None", "Vegetarian"])  # fmt: skip
    badge = Question.objects.create(event=hybrid_event, label="Badge name", required=True)

    response = anonymous_client.post(
        registrations_url(hybrid_event), body(answers={str(diet.pk): "Steak"}), format="json"
    )

    assert response.status_code == 400
    assert response.json() == {
        "answers": {
            str(diet.pk): ["Choose one of: None, Vegetarian."],
            str(badge.pk): ["This question needs an answer."],
        }
    }
    assert not Registration.objects.exists()


# --- The organizer's side ----------------------------------------------------------------------


def test_members_list_registrations_with_filters(viewer_client, hybrid_event, register):
    first = register(hybrid_event, organization_name="Permanent Mission of Ghana", country="GH")
    register(hybrid_event, organization_name="IPI", country="US")
    online = register(
        hybrid_event,
        attendance_mode="virtual",
        organization_name="Permanent Mission of Ghana",
        country="GH",
    )

    everyone = viewer_client.get(registrations_url(hybrid_event))
    ghana = viewer_client.get(registrations_url(hybrid_event), {"organization": "mission of gh"})
    online_only = viewer_client.get(registrations_url(hybrid_event), {"attendance_mode": "virtual"})
    us = viewer_client.get(registrations_url(hybrid_event), {"country": "us"})
    confirmed = viewer_client.get(registrations_url(hybrid_event), {"status": "confirmed"})

    assert everyone.json()["count"] == 3
    assert [r["id"] for r in ghana.json()["results"]] == [first.pk, online.pk]
    assert [r["id"] for r in online_only.json()["results"]] == [online.pk]
    assert us.json()["count"] == 1
    assert confirmed.json()["count"] == 3
    row = everyone.json()["results"][0]
    assert row["email"] == first.email
    assert row["status"] == "confirmed"
    assert row["created_at"].endswith(("-05:00", "-04:00"))


def test_organizer_corrects_contact_details_but_not_status(manager_client, hybrid_event, register):
    registration = register(hybrid_event)

    response = manager_client.patch(
        registrations_url(hybrid_event, f"{registration.pk}/"),
        {
            "honorific": "H.E. Mr.",
            "position": "Deputy Permanent Representative",
            "status": "cancelled",
        },
        format="json",
    )

    assert response.status_code == 200
    registration.refresh_from_db()
    assert registration.honorific == "H.E. Mr."
    assert registration.position == "Deputy Permanent Representative"
    assert registration.status == Registration.Status.CONFIRMED


def test_viewer_may_read_but_not_correct(viewer_client, hybrid_event, register):
    registration = register(hybrid_event)
    url = registrations_url(hybrid_event, f"{registration.pk}/")

    assert viewer_client.get(url).status_code == 200
    assert viewer_client.patch(url, {"position": "x"}, format="json").status_code == 403
    assert viewer_client.post(url + "cancel/").status_code == 403


def test_approving_confirms_and_declining_sends_the_note(manager_client, organization, register):
    event = EventFactory(organization=organization, requires_approval=True)
    accepted = register(event)
    refused = register(event)

    approved = manager_client.post(registrations_url(event, f"{accepted.pk}/approve/"))
    declined = manager_client.post(
        registrations_url(event, f"{refused.pk}/decline/"),
        {"note": "The room holds heads of delegation only."},
        format="json",
    )

    assert approved.status_code == 200
    assert approved.json()["status"] == "confirmed"
    assert declined.status_code == 200
    assert declined.json()["status"] == "declined"
    assert declined.json()["decision_note"] == "The room holds heads of delegation only."
    assert Message.objects.filter(kind="registration_declined", to_email=refused.email).exists()


def test_approving_a_confirmed_registration_answers_409(manager_client, hybrid_event, register):
    registration = register(hybrid_event)

    response = manager_client.post(registrations_url(hybrid_event, f"{registration.pk}/approve/"))

    assert response.status_code == 409
    assert response.json() == {"detail": "Only a registration awaiting approval can be approved."}


def test_cancelling_frees_the_seat_for_the_waitlist(manager_client, hybrid_event, register):
    first = register(hybrid_event)
    register(hybrid_event)
    waiting = register(hybrid_event)

    response = manager_client.post(registrations_url(hybrid_event, f"{first.pk}/cancel/"))
    again = manager_client.post(registrations_url(hybrid_event, f"{first.pk}/cancel/"))

    assert response.status_code == 200
    assert response.json()["status"] == "cancelled"
    waiting.refresh_from_db()
    assert waiting.status == Registration.Status.CONFIRMED
    assert again.status_code == 409


def test_another_organizations_registrations_are_404(client_for, outsider, hybrid_event, register):
    registration = register(hybrid_event)
    client = client_for(outsider)

    assert client.get(registrations_url(hybrid_event)).status_code == 404
    assert client.get(registrations_url(hybrid_event, f"{registration.pk}/")).status_code == 404
    assert (
        client.post(registrations_url(hybrid_event, f"{registration.pk}/cancel/")).status_code
        == 404
    )
    assert client.get(registrations_url(hybrid_event, "export/?format=csv")).status_code == 404
    assert client.get(f"/api/v1/events/{hybrid_event.slug}/stats/").status_code == 404


def test_a_registration_of_another_event_is_404(
    manager_client, organization, hybrid_event, register
):
    other = register(EventFactory(organization=organization))

    response = manager_client.get(registrations_url(hybrid_event, f"{other.pk}/"))

    assert response.status_code == 404


def test_organizer_endpoints_need_a_token(anonymous_client, hybrid_event):
    assert anonymous_client.get(registrations_url(hybrid_event)).status_code == 401


# --- Export ------------------------------------------------------------------------------------


def test_check_in_staff_may_not_export(check_in_client, hybrid_event):
    response = check_in_client.get(registrations_url(hybrid_event, "export/"), {"format": "csv"})

    assert response.status_code == 403


def test_export_csv_lists_registrants_for_the_grounds_pass_list(
    manager_client, hybrid_event, register
):
    register(
        hybrid_event,
        honorific="H.E. Mr.",
        first_name="Kwame",
        last_name="Mensah",
        position="Permanent Representative",
        organization_name="Permanent Mission of Ghana",
        country="GH",
    )

    response = manager_client.get(registrations_url(hybrid_event, "export/"), {"format": "csv"})

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert response["Content-Disposition"].startswith("attachment; filename=")
    assert ".csv" in response["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0][:6] == [
        "Honorific",
        "First name",
        "Last name",
        "Position",
        "Organization",
        "Country",
    ]
    assert rows[1][:7] == [
        "H.E. Mr.",
        "Kwame",
        "Mensah",
        "Permanent Representative",
        "Permanent Mission of Ghana",
        "Ghana",
        "GH",
    ]


def test_export_xlsx_opens_with_the_rows(manager_client, hybrid_event, register):
    register(hybrid_event, last_name="Mensah")
    register(hybrid_event, last_name="Zetterlund", attendance_mode="virtual")

    response = manager_client.get(
        registrations_url(hybrid_event, "export/"), {"format": "xlsx", "attendance_mode": "virtual"}
    )

    assert response.status_code == 200
    assert ".xlsx" in response["Content-Disposition"]
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][0] == "Honorific"
    assert [row[2] for row in rows[1:]] == ["Zetterlund"]


def test_export_in_an_unknown_format_is_400(manager_client, hybrid_event):
    response = manager_client.get(registrations_url(hybrid_event, "export/"), {"format": "pdf"})

    assert response.status_code == 400
    assert "format" in response.json()


# --- Stats -------------------------------------------------------------------------------------


def test_stats_count_the_funnel(viewer_client, hybrid_event, register):
    InvitationFactory(event=hybrid_event, status="draft")
    InvitationFactory(event=hybrid_event, status="declined")
    accepted = InvitationFactory(event=hybrid_event)
    invitation_services.register_by_invitation(
        actor=Actor.system("test"),
        token=accepted.token,
        event=hybrid_event,
        email=accepted.email,
        first_name="Kofi",
        last_name="Mensah",
        attendance_mode="virtual",
        consent=True,
    )
    register(hybrid_event)
    leaving = register(hybrid_event)
    register(hybrid_event, attendance_mode="virtual")
    register(hybrid_event)  # waitlisted, then promoted when a seat is freed
    register(hybrid_event)  # still waitlisted
    services.cancel(actor=Actor.system("test"), registration=leaving)
    Registration.objects.filter(attendance_mode="virtual").update(attended=True)

    response = viewer_client.get(f"/api/v1/events/{hybrid_event.slug}/stats/")

    assert response.status_code == 200
    body = response.json()
    invitations = body.pop("invitations")
    assert {key: invitations[key] for key in ("total", "sent", "declined", "registered")} == {
        "total": 3,
        "sent": 2,
        "declined": 1,
        "registered": 1,
    }
    assert body == {
        "registrations": {
            "pending": 0,
            "confirmed": 4,
            "waitlisted": 1,
            "cancelled": 1,
            "declined": 0,
        },
        "by_mode": {"in_person": 2, "virtual": 2},
        "attended": 2,
    }
