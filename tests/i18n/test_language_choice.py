"""Private pages speak their owner's stored language; the switcher's choice wins; without a
stored preference the browser's language is used."""

import pytest

from tests.factories import EventFactory, InvitationFactory

pytestmark = pytest.mark.django_db


def _manage_page(client, registration, **headers):
    token = f"{registration.pk}.{registration.manage_secret}"
    return client.get(f"/registrations/{token}/", **headers)


def test_the_manage_page_speaks_the_registrants_language_over_the_browsers(client, register):
    registration = register(EventFactory(), language="ru")

    response = _manage_page(client, registration, HTTP_ACCEPT_LANGUAGE="fr")

    assert response["Content-Language"] == "ru"
    assert '<html lang="ru"' in response.content.decode()


def test_the_switcher_wins_over_the_stored_language(client, register, settings):
    registration = register(EventFactory(), language="ru")
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "es"

    response = _manage_page(client, registration)

    assert response["Content-Language"] == "es"


def test_the_invitation_page_speaks_the_invitees_language(client):
    invitation = InvitationFactory(language="es")

    response = client.get(invitation.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="ru")

    assert response.status_code == 200
    assert response["Content-Language"] == "es"
    # The registration form offers the invitee's language for our emails.
    assert '<option value="es" selected>' in response.content.decode()


def test_an_invitation_without_a_language_follows_the_browser(client):
    invitation = InvitationFactory(language="")

    response = client.get(invitation.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="fr")

    assert response["Content-Language"] == "fr"
