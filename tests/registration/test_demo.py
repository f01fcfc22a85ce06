from io import StringIO

from django.core.management import call_command

from registration.models import Registration


def test_demo_registrations_fill_the_demo_events_once(db):
    call_command("load_demo", stdout=StringIO())
    call_command("load_demo_registrations", stdout=StringIO())
    call_command("load_demo_registrations", stdout=StringIO())

    briefing = Registration.objects.filter(event__slug="protection-of-civilians-briefing")
    assert briefing.count() == 10
    assert set(briefing.values_list("attendance_mode", flat=True)) == {"in_person", "virtual"}
    assert (
        Registration.objects.filter(event__slug="impact-driven-peacekeeping-partnerships").count()
        == 10
    )
