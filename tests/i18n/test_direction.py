"""Arabic reads right to left only once we can write it: with no compiled Arabic catalogue, a
mirrored page of English text would read out of order."""

import pytest

from events import i18n
from tests.factories import EventFactory

pytestmark = pytest.mark.django_db


def test_arabic_with_a_catalogue_is_right_to_left(catalogues):
    assert i18n.text_direction("ar") == "rtl"
    assert i18n.text_direction("ru") == "ltr"


def test_arabic_without_a_catalogue_stays_left_to_right(no_catalogues):
    assert i18n.text_direction("ar") == "ltr"


def test_the_event_page_in_arabic_is_rtl_with_a_catalogue(client, catalogues):
    event = EventFactory()

    page = client.get(event.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="ar").content.decode()

    assert '<html lang="ar" dir="rtl">' in page
    assert "الفعاليات" in page  # "Events", from the catalogue


def test_the_event_page_in_arabic_without_a_catalogue_is_ltr(client, no_catalogues):
    event = EventFactory()

    page = client.get(event.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="ar").content.decode()

    assert '<html lang="ar" dir="ltr">' in page


def test_times_and_names_stay_isolated_inside_arabic_text(client, catalogues):
    event = EventFactory(title="Peacekeeping in Africa")

    page = client.get(event.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="ar").content.decode()

    assert '<h1 dir="auto">Peacekeeping in Africa</h1>' in page
    start = event.starts_at.astimezone(event.tzinfo).strftime("%H:%M")
    assert f'<bdi dir="ltr">{start}–' in page
