import io

from django.core.management import call_command

from invitations import selectors
from invitations.models import ContactList, Invitation
from notifications.models import Message


def test_demo_guest_list_is_made_once_and_its_links_open(db, client):
    call_command("load_demo", stdout=io.StringIO())
    output = io.StringIO()
    call_command("load_demo_invitations", stdout=output)
    call_command("load_demo_invitations", stdout=io.StringIO())

    assert Invitation.objects.count() == 14
    links = [line.rsplit(" ", 1)[1] for line in output.getvalue().splitlines()]
    assert len(links) == 2
    for link in links:
        page = client.get(link.removeprefix("http://127.0.0.1:8000"))
        assert page.status_code == 200
    assert set(Invitation.objects.filter(transferable=True).values_list("seats", flat=True)) == {2}
    assert ContactList.objects.get().contacts.count() == 10


def test_the_demo_guest_list_has_answers_of_every_kind(db):
    call_command("load_demo", stdout=io.StringIO())
    call_command("load_demo_invitations", stdout=io.StringIO())

    event = Invitation.objects.first().event
    counts = selectors.state_counts(event)
    assert (counts["draft"], counts["declined"], counts["bounced"], counts["registered"]) == (
        2, 1, 1, 2,
    )  # fmt: skip
    assert Message.objects.filter(kind="invitation").count() == 12
