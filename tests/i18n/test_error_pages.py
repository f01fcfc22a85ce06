"""A broken or cut-off link and a crash show the site's own page, in the visitor's language."""

import pytest

from tests.factories import EventFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def live_settings(settings):
    settings.DEBUG = False
    settings.ROOT_URLCONF = "tests.i18n.urls"


def test_an_unknown_address_shows_the_friendly_404_in_the_sites_layout(client, live_settings):
    response = client.get("/no-such-page/")

    assert response.status_code == 404
    page = response.content.decode()
    assert "Page not found" in page
    assert 'class="site-header"' in page and 'action="/i18n/setlang/"' in page
    assert "copy the whole link from the email" in page
    assert "The requested resource was not found" not in page  # Django's own page


def test_a_cut_off_private_link_shows_the_friendly_404(client, live_settings, register):
    registration = register(EventFactory())
    token = f"{registration.pk}.{registration.manage_secret}"

    assert client.get(f"/registrations/{token}/").status_code == 200
    response = client.get(f"/registrations/{token[:-6]}/")

    assert response.status_code == 404
    assert "copy the whole link from the email" in response.content.decode()


def test_the_404_speaks_the_browsers_language(client, live_settings, catalogues):
    response = client.get("/no-such-page/", HTTP_ACCEPT_LANGUAGE="ru")

    page = response.content.decode()
    assert response.status_code == 404
    assert '<html lang="ru" dir="ltr">' in page
    assert "Страница не найдена" in page


def test_a_crash_shows_the_friendly_500_without_the_database_or_context(client, live_settings):
    client.raise_request_exception = False

    response = client.get("/crash/")

    assert response.status_code == 500
    page = response.content.decode()
    assert "Something went wrong" in page
    assert 'class="site-header"' in page
    assert "language-form" not in page  # no CSRF token to post it with
    assert "Traceback" not in page


def test_the_500_is_in_the_visitors_language_and_direction(client, live_settings, catalogues):
    client.raise_request_exception = False

    response = client.get("/crash/", HTTP_ACCEPT_LANGUAGE="ar")

    assert response.status_code == 500
    assert '<html lang="ar" dir="rtl">' in response.content.decode()
