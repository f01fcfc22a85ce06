from django.core.management import call_command

from events.models import Event, Resource
from events.selectors import hosts_phrase, programme


def _load():
    call_command("load_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115


def test_demo_loads_the_seed_events_and_a_briefing_once_however_often_it_runs(db):
    _load()
    _load()

    assert Event.objects.published().count() == 3
    impact = Event.objects.get(slug="impact-driven-peacekeeping-partnerships")
    assert impact.speakers.count() == 9
    assert impact.hosts.count() == 5


def test_demo_events_read_like_the_seeds(db):
    _load()
    impact = Event.objects.get(slug="impact-driven-peacekeeping-partnerships")
    africa = Event.objects.get(slug="peacekeeping-in-africa-fostering-partnership")

    assert hosts_phrase(impact.hosts.all()) == (
        "IPI together with the Governments of Ethiopia, Indonesia, Japan and the Republic of Korea"
    )
    assert hosts_phrase(africa.hosts.all()) == (
        "KAIPTC together with the Permanent Missions of Ghana, the United Kingdom and Norway, "
        "IPI and Wilton Park"
    )
    assert [group.heading for group in programme(impact.speakers.all())] == [
        "Opening remarks",
        "Speakers",
        "Moderator",
    ]
    assert africa.venue_name == "ECOSOC Chamber"
    assert africa.sessions.get().invitation_only
    assert africa.resources.filter(kind=Resource.Kind.RECORDING).exists()
    assert impact.ends_at > impact.starts_at


def test_demo_organizer_can_sign_in_to_the_workspace(client, db):
    _load()

    assert client.login(username="demo", password="plenary-demo")
    assert client.get("/workspace/").status_code == 200


def test_every_demo_event_is_organized_by_its_own_team(db):
    _load()

    for event in Event.objects.all():
        organizers = [host.organization for host in event.hosts.filter(role="organizer")]
        assert organizers in ([], [event.organization])
        assert event.organization.is_team
        assert all(
            not host.organization.is_team or host.organization == event.organization
            for host in event.hosts.all()
        )
