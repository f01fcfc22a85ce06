"""Reads built into SQL once per process (events/prepared.py) answer as the ORM does."""

import pytest

from events.models import Event, Organization
from events.prepared import PreparedQuery
from events.selectors import directory_entry_named
from registration.models import Question
from registration.selectors import event_to_register_for
from tests.factories import EventFactory, OrganizationFactory

pytestmark = pytest.mark.django_db


def test_a_prepared_query_runs_its_sql_again_with_each_new_value(organization):
    first = EventFactory(organization=organization, slug="first-briefing")
    second = EventFactory(organization=organization, slug="second-briefing")
    builds = []

    def build(slug):
        builds.append(slug)
        return Event.objects.filter(slug=slug)

    by_slug = PreparedQuery(build)

    assert by_slug.rows(slug="first-briefing") == [first]
    assert by_slug.first(slug="second-briefing") == second
    assert by_slug.first(slug="no-such-briefing") is None
    assert len(builds) == 1  # the queryset was built once, with a stand-in for the slug
    assert builds[0] not in ("first-briefing", "second-briefing")


def test_a_value_the_sql_would_change_is_refused_when_the_query_is_built():
    # icontains wraps the value in a LIKE pattern: a new value could not simply replace it.
    containing = PreparedQuery(lambda text: Organization.objects.filter(name__icontains=text))

    with pytest.raises(ValueError, match="must reach the SQL once as a parameter, unchanged"):
        containing.rows(text="Mission")


def test_the_event_to_register_for_is_the_public_event_with_its_questions(organization):
    event = EventFactory(organization=organization, slug="working-lunch")
    first = Question.objects.create(event=event, label="Dietary needs", order=2)
    second = Question.objects.create(event=event, label="Accessibility", order=1)
    plain = EventFactory(organization=organization, slug="open-debate")
    EventFactory(organization=organization, slug="still-a-draft", draft=True)

    found, questions = event_to_register_for("working-lunch")
    assert found == event
    assert found.title == event.title and found.starts_at == event.starts_at
    assert questions == [second, first]  # in the questions' own order

    assert event_to_register_for("open-debate") == (plain, [])
    assert event_to_register_for("still-a-draft") == (None, [])
    assert event_to_register_for("no-such-event") == (None, [])


def test_a_directory_name_matches_in_any_case_and_never_as_a_pattern(db):
    atlantis = OrganizationFactory(name="Permanent Mission of Atlantis")
    OrganizationFactory(name="Permanent Mission of Atlantis (team)", is_team=True)

    assert directory_entry_named("permanent  mission of ATLANTIS") == atlantis
    assert directory_entry_named("Permanent_Mission of Atlantis") is None
    assert directory_entry_named("Permanent Mission of %") is None
    assert directory_entry_named("Permanent Mission of Atlantis (team)") is None  # a team
    assert directory_entry_named("  ") is None
