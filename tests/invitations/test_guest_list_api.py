"""The guest list through the API: /api/v1/events/{slug}/invitations/ and its actions."""

import pytest
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from events.audit import Actor
from events.models import Membership
from invitations import services as invitation_services
from invitations.models import Contact, ContactList, Invitation
from notifications.models import Message
from tests.factories import InvitationFactory, MembershipFactory, OrganizationFactory


def _client(user):
    client = APIClient()
    token, _created = Token.objects.get_or_create(user=user)
    client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    return client


@pytest.fixture
def api(manager):
    return _client(manager)


@pytest.fixture
def viewer_api(organization):
    return _client(MembershipFactory(organization=organization, role=Membership.Role.VIEWER).user)


def _url(event, rest=""):
    return f"/api/v1/events/{event.slug}/invitations/{rest}"


def test_posting_invitees_creates_drafts_in_order(api, conference):
    lunch = conference.sessions.get()

    response = api.post(
        _url(conference),
        [
            {"email": "Anna@Gov.example", "honorific": "H.E. Ms.", "last_name": "Lindqvist",
             "language": "fr", "sessions": [lunch.pk]},
            {"email": "focal@sweden.example", "organization_name": "Permanent Mission of Sweden",
             "country": "se", "seats": 2, "transferable": True},
        ],
        format="json",
    )  # fmt: skip

    assert response.status_code == 201
    body = response.json()
    assert [(i["email"], i["status"], i["already_invited"]) for i in body] == [
        ("anna@gov.example", "draft", False),
        ("focal@sweden.example", "draft", False),
    ]
    assert body[0]["sessions"] == [lunch.pk]
    assert (body[1]["seats"], body[1]["country"], body[1]["seats_used"]) == (2, "SE", 0)


def test_an_address_already_invited_is_reported_not_invited_twice(api, conference):
    existing = InvitationFactory(event=conference, email="kofi@ghana.example")

    response = api.post(
        _url(conference),
        [{"email": "kofi@ghana.example"}, {"email": "new@x.example"}],
        format="json",
    )
    again = api.post(_url(conference), [{"email": "kofi@ghana.example"}], format="json")

    assert response.status_code == 201
    assert [(i["id"], i["already_invited"]) for i in response.json()] == [
        (existing.pk, True),
        (Invitation.objects.get(email="new@x.example").pk, False),
    ]
    assert again.status_code == 200
    assert Invitation.objects.filter(event=conference).count() == 2


def test_one_bad_invitee_answers_400_by_position_and_creates_nothing(api, conference):
    response = api.post(
        _url(conference),
        [{"email": "good@x.example"}, {"email": "good2@x.example", "seats": 3,
                                        "transferable": True}],
        format="json",
    )  # fmt: skip

    assert response.status_code == 400
    errors = response.json()
    assert errors[0] == {}
    assert "at most 2 seats per organization" in errors[1]["seats"][0]
    assert not Invitation.objects.exists()


def test_inviting_a_contact_list_or_contacts(api, conference):
    team = conference.organization
    listed = ContactList.objects.create(team=team, name="Focal points")
    ann = Contact.objects.create(team=team, email="ann@x.example", language="es")
    bob = Contact.objects.create(team=team, email="bob@x.example")
    listed.contacts.add(ann, bob)
    carl = Contact.objects.create(team=team, email="carl@x.example")

    by_list = api.post(_url(conference), {"contact_list": listed.pk}, format="json")
    by_ids = api.post(_url(conference), {"contacts": [carl.pk, ann.pk]}, format="json")

    assert by_list.status_code == 201
    assert {i["email"] for i in by_list.json()} == {"ann@x.example", "bob@x.example"}
    assert [(i["email"], i["already_invited"]) for i in by_ids.json()] == [
        ("carl@x.example", False),
        ("ann@x.example", True),
    ]
    assert Invitation.objects.get(email="ann@x.example").language == "es"


def test_another_teams_contacts_are_unknown(api, conference):
    theirs = OrganizationFactory()
    their_list = ContactList.objects.create(team=theirs, name="Theirs")
    their_contact = Contact.objects.create(team=theirs, email="x@theirs.example")

    by_list = api.post(_url(conference), {"contact_list": their_list.pk}, format="json")
    by_ids = api.post(_url(conference), {"contacts": [their_contact.pk]}, format="json")

    assert by_list.status_code == by_ids.status_code == 400
    assert "contact_list" in by_list.json() and "contacts" in by_ids.json()
    assert not Invitation.objects.exists()


def test_send_answers_202_with_the_count(api, conference, mail_backend):
    drafts = InvitationFactory.create_batch(3, event=conference, status="draft")

    some = api.post(_url(conference, "send/"), {"ids": [drafts[0].pk]}, format="json")
    rest = api.post(_url(conference, "send/"), {"all_drafts": True}, format="json")
    nothing = api.post(_url(conference, "send/"), {}, format="json")

    assert (some.status_code, some.json()) == (202, {"queued": 1})
    assert (rest.status_code, rest.json()) == (202, {"queued": 2})
    assert nothing.status_code == 400
    assert Message.objects.filter(kind="invitation").count() == 3


def test_sending_for_a_draft_event_answers_409(api, organization):
    from tests.factories import EventFactory

    event = EventFactory(organization=organization, draft=True)
    InvitationFactory(event=event, status="draft")

    response = api.post(_url(event, "send/"), {"all_drafts": True}, format="json")

    assert response.status_code == 409
    assert "Publish the event" in response.json()["detail"]


def test_the_list_shows_status_and_seats_used_and_filters_by_status(api, conference):
    mission = InvitationFactory(event=conference, mission=True, seats=2)
    invitation_services.register_by_invitation(actor=Actor.system("test"),
        token=mission.token, event=conference, email="d1@x.example", first_name="D",
        last_name="One", consent=True,
    )  # fmt: skip
    InvitationFactory(event=conference, status="declined", decline_reason="Away")

    everyone = api.get(_url(conference)).json()
    declined = api.get(_url(conference), {"status": "declined"}).json()

    by_id = {i["id"]: i for i in everyone["results"]}
    assert (by_id[mission.pk]["status"], by_id[mission.pk]["seats_used"]) == ("registered", 1)
    assert everyone["count"] == 2
    assert [(i["status"], i["decline_reason"]) for i in declined["results"]] == [
        ("declined", "Away")
    ]


def test_correct_resend_revoke_and_remind(api, conference, mail_backend):
    invitation = InvitationFactory(event=conference, delivery="bounced")

    corrected = api.patch(_url(conference, f"{invitation.pk}/"), {"email": "new@x.example"},
                          format="json")  # fmt: skip
    resent = api.post(_url(conference, f"{invitation.pk}/resend/"))
    reminded = api.post(_url(conference, "remind/"), {}, format="json")
    revoked = api.post(_url(conference, f"{invitation.pk}/revoke/"))
    revoked_again = api.post(_url(conference, f"{invitation.pk}/revoke/"))

    assert (corrected.status_code, corrected.json()["status"]) == (200, "sent")
    assert resent.json()["times_sent"] == 2
    assert reminded.json() == {"queued": 1}
    assert (revoked.status_code, revoked.json()["status"]) == (200, "revoked")
    assert revoked_again.status_code == 409


def test_the_reminder_schedule_reads_and_sets_the_date(api, conference):
    from datetime import timedelta

    remind_at = (conference.starts_at - timedelta(days=3)).isoformat()

    empty = api.get(_url(conference, "reminder-schedule/")).json()
    put = api.put(_url(conference, "reminder-schedule/"), {"remind_at": remind_at}, format="json")
    late = api.put(
        _url(conference, "reminder-schedule/"),
        {"remind_at": (conference.starts_at + timedelta(hours=1)).isoformat()},
        format="json",
    )

    assert empty == {"remind_at": None, "done_at": None}
    assert put.status_code == 200 and put.json()["remind_at"].endswith("-05:00")
    assert late.status_code == 400 and "remind_at" in late.json()


def test_export_is_a_csv_for_managers_only(api, viewer_api, conference):
    InvitationFactory(event=conference)

    response = api.get(_url(conference, "export/"), {"by": "country"})

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert viewer_api.get(_url(conference, "export/")).status_code == 403
    assert api.get(_url(conference, "export/"), {"by": "planet"}).status_code == 400


def test_members_read_managers_change_other_teams_get_404(viewer_api, outsider, conference):
    invitation = InvitationFactory(event=conference)
    stranger = _client(outsider)

    assert viewer_api.get(_url(conference)).status_code == 200
    assert (
        viewer_api.post(_url(conference), [{"email": "a@x.example"}], format="json").status_code
        == 403
    )
    assert viewer_api.post(_url(conference, f"{invitation.pk}/revoke/")).status_code == 403
    assert (
        viewer_api.post(_url(conference, "send/"), {"all_drafts": True}, format="json").status_code
        == 403
    )
    assert stranger.get(_url(conference)).status_code == 404
    assert stranger.post(_url(conference, f"{invitation.pk}/revoke/")).status_code == 404
    assert APIClient().get(_url(conference)).status_code == 401


def test_an_invitation_of_another_event_is_404_here(api, conference, organization):
    from tests.factories import EventFactory

    elsewhere = InvitationFactory(event=EventFactory(organization=organization))

    assert api.get(_url(conference, f"{elsewhere.pk}/")).status_code == 404
    assert api.post(_url(conference, f"{elsewhere.pk}/revoke/")).status_code == 404


def test_the_stats_endpoint_has_the_funnel_by_organization_and_country(api, conference):
    InvitationFactory(event=conference, organization_name="Permanent Mission of Ghana",
                      country="GH")  # fmt: skip

    stats = api.get(f"/api/v1/events/{conference.slug}/stats/").json()["invitations"]

    assert {"total", "sent", "declined", "registered", "delivered", "opened", "no_answer"} <= set(
        stats
    )
    assert stats["by_organization"][0]["organization"] == "Permanent Mission of Ghana"
    assert stats["by_country"][0]["country"] == "GH"


def test_the_schema_documents_the_guest_list_and_its_error_codes(api):
    schema = api.get("/api/v1/schema/", {"format": "json"}).json()
    paths = schema["paths"]

    invite = paths["/api/v1/events/{event_slug}/invitations/"]["post"]["responses"]
    send = paths["/api/v1/events/{event_slug}/invitations/send/"]["post"]["responses"]
    assert {"201", "400", "403", "404"} <= set(invite)
    assert {"202", "400", "403", "409"} <= set(send)
    assert "/api/v1/events/{event_slug}/invitations/{id}/revoke/" in paths
    assert "/api/v1/events/{event_slug}/invitations/export/" in paths
