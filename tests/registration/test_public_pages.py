"""The delegate's pages: registering through the form, the thank-you page, the private manage
pages and their confirmation steps."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from events.models import Event
from notifications.models import Message
from registration.models import Question, Registration
from tests.factories import EventFactory, SessionFactory


def _form(**fields):
    data = {
        "honorific": "H.E. Ms.",
        "first_name": "Kristina",
        "last_name": "Zetterlund",
        "email": "kristina@gov.example",
        "position": "Deputy Permanent Representative",
        "organization_name": "Permanent Mission of Sweden",
        "country": "SE",
        "language": "en",
        "consent": "on",
    }
    return {name: value for name, value in (data | fields).items() if value is not None}


def _register_url(event):
    return reverse("registration:register", args=[event.slug])


def _manage_url(registration, action=""):
    name = f"registration:{action}" if action else "registration:manage"
    return reverse(name, args=[registration.manage_token])


def _messages_of(registration):
    return Message.objects.filter(related_id=registration.pk)


@pytest.fixture
def online_event(organization):
    return EventFactory(organization=organization, virtual=True)


def test_registering_confirms_and_lands_on_the_thank_you_page(client, event):
    response = client.post(_register_url(event), _form(), follow=True)

    registration = Registration.objects.get(event=event)
    assert response.redirect_chain == [(reverse("registration:registered", args=[event.slug]), 302)]
    assert registration.status == Registration.Status.CONFIRMED
    assert registration.country == "SE"
    assert "You are registered" in response.text
    assert "An email with your private link is on its way" in response.text
    assert reverse("events:calendar", args=[event.slug]) in response.text


def test_registering_when_the_room_is_full_says_you_are_on_the_waitlist(client, event, register):
    Event.objects.filter(pk=event.pk).update(capacity_in_person=1)
    register(event)

    response = client.post(_register_url(event), _form(), follow=True)

    assert Registration.objects.get(email="kristina@gov.example").status == "waitlisted"
    assert "You are on the waitlist" in response.text


def test_registering_for_an_event_needing_approval_says_it_awaits_review(client, event):
    Event.objects.filter(pk=event.pk).update(requires_approval=True)

    response = client.post(_register_url(event), _form(), follow=True)

    assert "We received your registration" in response.text
    assert "The organizers review each registration" in response.text


def test_thank_you_page_without_a_registration_sends_back_to_the_form(client, event):
    response = client.get(reverse("registration:registered", args=[event.slug]))

    assert response.status_code == 302
    assert response["Location"] == _register_url(event)


def test_hybrid_event_without_a_mode_is_a_field_error_and_writes_nothing(client, hybrid_event):
    response = client.post(_register_url(hybrid_event), _form())

    assert response.status_code == 200
    assert response.context["form"].errors["attendance_mode"] == [
        "Choose to attend in person or online."
    ]
    assert 'href="#id_attendance_mode"' in response.text
    assert 'aria-describedby="id_attendance_mode_error"' in response.text
    assert not Registration.objects.exists()


def test_hybrid_form_shows_the_places_left_in_a_limited_mode(client, hybrid_event, register):
    register(hybrid_event)

    response = client.get(_register_url(hybrid_event))

    assert "In person — 1 place left" in response.text


def test_unanswered_required_question_is_an_error_on_that_question(client, event):
    question = Question.objects.create(event=event, label="Dietary needs", required=True)

    response = client.post(_register_url(event), _form())

    assert response.context["form"].errors[f"question_{question.pk}"] == [
        "This question needs an answer."
    ]
    assert not Registration.objects.exists()


def test_answers_to_each_kind_of_question_are_stored(client, event):
    text = Question.objects.create(event=event, label="Dietary needs")
    choice = Question.objects.create(
        event=event, label="Lunch", kind=Question.Kind.CHOICE, choices=["Yes", "No"]
    )
    several = Question.objects.create(
        event=event,
        label="Topics",
        kind=Question.Kind.MULTI_CHOICE,
        choices=["Training", "Equipment", "Medical"],
    )
    tick = Question.objects.create(event=event, label="Photos ok", kind=Question.Kind.CHECKBOX)

    client.post(
        _register_url(event),
        _form(
            **{
                f"question_{text.pk}": "Vegetarian",
                f"question_{choice.pk}": "Yes",
                f"question_{several.pk}": ["Training", "Medical"],
                f"question_{tick.pk}": "on",
            }
        ),
    )

    assert Registration.objects.get().answers == {
        str(text.pk): "Vegetarian",
        str(choice.pk): "Yes",
        str(several.pk): ["Training", "Medical"],
        str(tick.pk): True,
    }


def test_registering_without_consent_is_an_error_on_the_consent_box(client, event):
    response = client.post(_register_url(event), _form(consent=None))

    assert response.context["form"].errors["consent"] == [
        "Registration needs your consent to store these details."
    ]
    assert not Registration.objects.exists()


def test_same_email_again_resends_the_link_and_keeps_one_registration(client, event, register):
    existing = register(event, email="kristina@gov.example")

    response = client.post(_register_url(event), _form(email="Kristina@Gov.example"))

    assert (
        "You are already registered with this address; we have emailed your link again."
        in response.text
    )
    assert Registration.objects.filter(event=event).count() == 1
    assert _messages_of(existing).filter(kind="registration_link").count() == 1


def test_refused_registration_shows_why_above_the_form_and_writes_nothing(client, event, register):
    Event.objects.filter(pk=event.pk).update(capacity_in_person=1, waitlist_enabled=False)
    register(event)

    response = client.post(_register_url(event), _form())

    assert response.context["refused"] == "All in person places are taken."
    assert "We could not register you" in response.text
    assert not Registration.objects.filter(email="kristina@gov.example").exists()


def test_invitation_only_session_is_shown_but_cannot_be_chosen(client, event):
    lunch = SessionFactory(event=event, title="Working lunch", invitation_only=True)

    page = client.get(_register_url(event))
    response = client.post(_register_url(event), _form(sessions=[str(lunch.pk)]))

    assert "Working lunch" in page.text
    assert "(by invitation)" in page.text
    assert response.context["form"].errors["sessions"] == ["“Working lunch” is by invitation only."]
    assert not Registration.objects.exists()


def test_closed_registration_shows_the_reason_instead_of_the_form(client, event):
    Event.objects.filter(pk=event.pk).update(
        registration_closes_at=timezone.now() - timedelta(hours=1)
    )

    response = client.get(_register_url(event))

    assert "Registration has closed." in response.text
    assert 'class="registration-form"' not in response.text


def test_cancelled_event_shows_it_is_cancelled_and_takes_no_registration(client, event):
    Event.objects.filter(pk=event.pk).update(status=Event.Status.CANCELLED)

    page = client.get(_register_url(event))
    client.post(_register_url(event), _form())

    assert "This event has been cancelled." in page.text
    assert 'class="registration-form"' not in page.text
    assert not Registration.objects.exists()


def test_draft_event_has_no_registration_page(client, organization):
    draft = EventFactory(organization=organization, draft=True)

    assert client.get(_register_url(draft)).status_code == 404


def test_unlisted_event_takes_registrations_by_its_url(client, organization):
    unlisted = EventFactory(organization=organization, visibility=Event.Visibility.UNLISTED)

    client.post(_register_url(unlisted), _form())

    assert Registration.objects.get(event=unlisted).status == "confirmed"


def test_invitation_only_event_points_to_the_invitation_link(client, organization):
    private = EventFactory(organization=organization, visibility=Event.Visibility.INVITATION_ONLY)

    response = client.get(_register_url(private))

    assert "This event is by invitation only; use the link in your invitation." in response.text
    assert 'class="registration-form"' not in response.text


def test_event_page_links_to_its_registration_page(client, event):
    response = client.get(event.get_absolute_url())

    assert f'href="{_register_url(event)}"' in response.text


def test_markup_in_names_is_stored_as_typed_and_escaped_on_the_manage_page(client, event):
    client.post(_register_url(event), _form(first_name="<b>Kofi</b>", last_name="<i>Annan</i>"))

    registration = Registration.objects.get()
    page = client.get(_manage_url(registration))

    assert registration.first_name == "<b>Kofi</b>"
    assert "&lt;b&gt;Kofi&lt;/b&gt;" in page.text
    assert "<b>Kofi</b>" not in page.text


def test_opening_the_manage_page_changes_nothing(client, event, register):
    registration = register(event)
    before = (registration.status, registration.updated_at, Message.objects.count())

    response = client.get(_manage_url(registration))

    registration.refresh_from_db()
    assert response.status_code == 200
    assert (registration.status, registration.updated_at, Message.objects.count()) == before


def test_manage_pages_are_kept_out_of_search_engines_and_referrers(client, event, register):
    registration = register(event)

    response = client.get(_manage_url(registration))

    assert '<meta name="robots" content="noindex">' in response.text
    assert response["Referrer-Policy"] == "strict-origin"
    assert "no-store" in response["Cache-Control"]


@pytest.mark.parametrize(
    "token",
    [
        "{id}.wrong-secret",
        "999999.{secret}",
        "{id}",
        "not-a-token",
        "{id}.{secret}x",
        "²{id}.{secret}",
    ],
)
def test_wrong_manage_token_is_not_found(client, event, register, token):
    registration = register(event)
    token = token.format(id=registration.pk, secret=registration.manage_secret)

    assert client.get(reverse("registration:manage", args=[token])).status_code == 404
    assert client.post(reverse("registration:cancel", args=[token])).status_code == 404


def test_cancel_confirmation_page_asks_and_changes_nothing(client, hybrid_event, register):
    registration = register(hybrid_event)

    response = client.get(_manage_url(registration, "cancel"))

    registration.refresh_from_db()
    assert "Cancel your registration?" in response.text
    assert registration.status == Registration.Status.CONFIRMED


def test_cancelling_by_post_gives_the_seat_to_the_first_waitlisted(client, hybrid_event, register):
    first = register(hybrid_event)
    register(hybrid_event)
    waiting = register(hybrid_event)

    response = client.post(_manage_url(first, "cancel"), follow=True)

    first.refresh_from_db()
    waiting.refresh_from_db()
    assert first.status == Registration.Status.CANCELLED
    assert waiting.status == Registration.Status.CONFIRMED
    assert response.redirect_chain == [(_manage_url(first), 302)]
    assert "Your registration is cancelled." in response.text


def test_cancelling_twice_explains_it_is_already_cancelled(client, event, register):
    registration = register(event)
    client.post(_manage_url(registration, "cancel"))

    response = client.post(_manage_url(registration, "cancel"), follow=True)

    assert "This registration is already cancelled." in response.text


def test_switch_confirmation_page_asks_and_changes_nothing(client, hybrid_event, register):
    registration = register(hybrid_event)

    response = client.get(_manage_url(registration, "switch_mode"))

    registration.refresh_from_db()
    assert "Attend online instead?" in response.text
    assert registration.attendance_mode == "in_person"


def test_switching_mode_by_post_moves_the_registration_online(client, hybrid_event, register):
    registration = register(hybrid_event)

    response = client.post(
        _manage_url(registration, "switch_mode"), {"attendance_mode": "virtual"}, follow=True
    )

    registration.refresh_from_db()
    assert registration.attendance_mode == "virtual"
    assert "You will now attend online." in response.text


def test_switching_to_a_full_mode_is_explained_on_the_manage_page(client, hybrid_event, register):
    register(hybrid_event)
    register(hybrid_event)
    online = register(hybrid_event, attendance_mode="virtual")

    response = client.post(
        _manage_url(online, "switch_mode"), {"attendance_mode": "in_person"}, follow=True
    )

    online.refresh_from_db()
    assert online.attendance_mode == "virtual"
    assert "All in person places are taken." in response.text


def test_ticket_qr_code_is_shown_to_a_confirmed_in_person_attendee(client, hybrid_event, register):
    registration = register(hybrid_event)

    response = client.get(_manage_url(registration))

    assert '<svg width="' in response.text
    assert registration.ticket_code_grouped in response.text


def test_online_attendee_gets_no_ticket_qr_code(client, hybrid_event, register):
    registration = register(hybrid_event, attendance_mode="virtual")

    response = client.get(_manage_url(registration))

    assert "<svg" not in response.text
    assert registration.ticket_code not in response.text


def test_join_link_is_shown_to_a_confirmed_online_attendee(client, hybrid_event, register):
    registration = register(hybrid_event, attendance_mode="virtual")

    response = client.get(_manage_url(registration))

    assert hybrid_event.online_join_url in response.text


@pytest.mark.parametrize("mode", ["in_person", "virtual"])
def test_join_link_is_hidden_from_anyone_else(client, hybrid_event, register, mode):
    Event.objects.filter(pk=hybrid_event.pk).update(capacity_in_person=0, capacity_virtual=0)
    waiting = register(hybrid_event, attendance_mode=mode)

    response = client.get(_manage_url(waiting))

    assert waiting.status == Registration.Status.WAITLISTED
    assert hybrid_event.online_join_url not in response.text


def test_online_only_event_offers_no_mode_switch(client, online_event, register):
    registration = register(online_event)

    page = client.get(_manage_url(registration))
    switch = client.get(_manage_url(registration, "switch_mode"))

    assert "Switch to" not in page.text
    assert switch.status_code == 302
