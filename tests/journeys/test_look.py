"""How the pages a delegate sees look, in each of the six languages, on a phone and a laptop:
the public event page, the registration page and the confirmation email, saved as screenshots
in var/test-artifacts/look/ (not committed) for a person to look at. Each must fit its width
(nothing to scroll sideways) and say which language it is in."""

import pytest

from events.audit import Actor
from events.models import Event, Speaker
from notifications import mime, rendering
from notifications.models import Message
from registration import services
from tests.factories import EventFactory, EventHostFactory, OrganizationFactory, SpeakerFactory

from .conftest import ARTIFACTS, LOCALES

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WIDTHS = {"phone": {"width": 390, "height": 844}, "laptop": {"width": 1280, "height": 900}}


@pytest.fixture
def briefing(organization):
    event = EventFactory(
        organization=organization,
        title="Impact-Driven Peacekeeping Partnerships for Capacity Building and Training",
        summary="A briefing for Member States on training partnerships in peace operations.",
        description="The briefing takes stock of partnerships between troop contributors. " * 8,
        format=Event.Format.HYBRID,
        online_join_url="https://zoom.example.org/j/4242",
        webcast_url="https://webtv.un.org/en/asset/k1x/k1xabcdefg",
        capacity_in_person=120,
        capacity_virtual=500,
    )
    for name in ("Government of Ethiopia", "Government of the Republic of Korea"):
        EventHostFactory(event=event, organization=OrganizationFactory(name=name))
    SpeakerFactory(
        event=event, honorific="H.E. Mr.", name="Mohammed Abdul-Rahman Al-Khalifa",
        position="Permanent Representative of the Kingdom of Bahrain to the United Nations",
        role=Speaker.Role.OPENING_REMARKS,
    )  # fmt: skip
    SpeakerFactory(event=event, honorific="Dr.", name="Namie Di Razza", role=Speaker.Role.MODERATOR)
    return event


def _confirmation_html(event, language):
    registration = services.register(
        actor=Actor.attendee("Amina Mohammed-Okonkwo"), event=event, email=f"delegate.{language}@mission.example", first_name="Amina",
        last_name="Mohammed-Okonkwo", organization_name="Permanent Mission of Nigeria",
        consent=True, attendance_mode="in_person", language=language,
    )  # fmt: skip
    message = Message.objects.filter(to_email=registration.email).latest("pk")
    return mime.html_for_display(rendering.render(message))


def _look(page, name, language, width):
    """Save the page and check it fits and names its language."""
    folder = ARTIFACTS / "look"
    folder.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=folder / f"{name}-{language}-{width}.png", full_page=True)
    assert page.locator("html").get_attribute("lang") == language
    overflow = page.evaluate(
        "() => document.documentElement.scrollWidth - window.innerWidth"
    )  # a function, not a string to eval: the site's CSP forbids eval
    assert overflow <= 0, f"{name} in {language} at {width}: {overflow} px to scroll sideways"


@pytest.mark.parametrize("language", list(LOCALES))
def test_event_registration_and_confirmation_in_each_language(
    live_server, browser, briefing, language
):
    email_html = _confirmation_html(briefing, language)
    for width, viewport in WIDTHS.items():
        context = browser.new_context(
            base_url=live_server.url,
            viewport=viewport,
            locale=LOCALES[language],
            extra_http_headers={"Accept-Language": LOCALES[language]},
        )
        page = context.new_page()
        try:
            page.goto(briefing.get_absolute_url())
            _look(page, "event", language, width)
            page.goto(briefing.get_absolute_url() + "register/")
            _look(page, "register", language, width)
            # A blank page first: written into the site's page, the email would fall under
            # the site's CSP, which refuses the inline styles every email client applies.
            page.goto("about:blank")
            page.set_content(email_html)
            _look(page, "confirmation-email", language, width)
        finally:
            context.close()
