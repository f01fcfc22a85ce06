from django.utils import translation

from events.models import EventHost, Speaker
from events.selectors import hosts_phrase, programme
from tests.factories import EventHostFactory, OrganizationFactory, SpeakerFactory


def _host(event, name, role, order, short_name=""):
    organization = OrganizationFactory(name=name, short_name=short_name)
    return EventHostFactory(event=event, organization=organization, role=role, order=order)


def test_hosts_phrase_groups_governments_after_the_organizer(event):
    _host(event, "Government of Ethiopia", EventHost.Role.CO_HOST, 1)
    _host(event, "International Peace Institute", EventHost.Role.ORGANIZER, 0, short_name="IPI")
    _host(event, "Government of Indonesia", EventHost.Role.CO_HOST, 2)
    _host(event, "Government of Japan", EventHost.Role.CO_HOST, 3)
    _host(event, "Government of the Republic of Korea", EventHost.Role.CO_HOST, 4)

    assert hosts_phrase(event.hosts.all()) == (
        "IPI together with the Governments of Ethiopia, Indonesia, Japan and the Republic of Korea"
    )


def test_hosts_phrase_keeps_groups_and_single_names_in_order(event):
    _host(event, "Kofi Annan International Peacekeeping Training Centre", "organizer", 0, "KAIPTC")
    _host(event, "Permanent Mission of Ghana", EventHost.Role.CO_HOST, 1)
    _host(event, "Permanent Mission of the United Kingdom", EventHost.Role.CO_HOST, 2)
    _host(event, "Permanent Mission of Norway", EventHost.Role.CO_HOST, 3)
    _host(event, "International Peace Institute", EventHost.Role.CO_HOST, 4, short_name="IPI")
    _host(event, "Wilton Park", EventHost.Role.PARTNER, 5)

    assert hosts_phrase(event.hosts.all()) == (
        "KAIPTC together with the Permanent Missions of Ghana, the United Kingdom and Norway, "
        "IPI and Wilton Park"
    )


def test_hosts_phrase_names_a_single_government_in_the_singular(event):
    _host(event, "International Peace Institute", EventHost.Role.ORGANIZER, 0, short_name="IPI")
    _host(event, "Government of Japan", EventHost.Role.CO_HOST, 1)

    assert hosts_phrase(event.hosts.all()) == "IPI together with the Government of Japan"


def test_hosts_phrase_without_organizer_lists_co_hosts(event):
    _host(event, "Wilton Park", EventHost.Role.CO_HOST, 0)
    _host(event, "International Peace Institute", EventHost.Role.CO_HOST, 1, short_name="IPI")

    assert hosts_phrase(event.hosts.all()) == "Wilton Park and IPI"


def test_hosts_phrase_of_an_event_without_hosts_is_empty(event):
    assert hosts_phrase(event.hosts.all()) == ""


def test_programme_groups_roles_in_programme_order_and_speakers_in_given_order(event):
    SpeakerFactory(event=event, name="Namie Di Razza", role=Speaker.Role.MODERATOR, order=0)
    SpeakerFactory(event=event, name="Mark Pedersen", role=Speaker.Role.SPEAKER, order=4)
    SpeakerFactory(event=event, name="Arthur Boutellis", role=Speaker.Role.SPEAKER, order=3)
    SpeakerFactory(event=event, name="Cho Hyun", role=Speaker.Role.OPENING_REMARKS, order=1)

    groups = programme(event.speakers.all())

    assert [group.heading for group in groups] == ["Opening remarks", "Speakers", "Moderator"]
    assert [s.name for s in groups[1].speakers] == ["Arthur Boutellis", "Mark Pedersen"]


def test_programme_heading_is_singular_for_one_speaker(event):
    SpeakerFactory(event=event, role=Speaker.Role.SPEAKER)

    assert programme(event.speakers.all())[0].heading == "Speaker"


def test_hosts_phrase_in_another_language_keeps_each_directory_name_whole(event):
    # The directory's names are English proper names; French grammar cannot regroup their parts.
    _host(event, "International Peace Institute", EventHost.Role.ORGANIZER, 0, short_name="IPI")
    _host(event, "Government of Ethiopia", EventHost.Role.CO_HOST, 1)
    _host(event, "Government of Japan", EventHost.Role.CO_HOST, 2)

    with translation.override("fr"):
        phrase = hosts_phrase(event.hosts.all())

    assert "Government of Ethiopia" in phrase
    assert "Government of Japan" in phrase
    assert "Governments" not in phrase
    assert phrase.startswith("IPI")
