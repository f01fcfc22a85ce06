import io

from django.core.management import call_command

from invitations.models import Invitation


def test_demo_invitations_are_made_once_and_their_links_open(db, client):
    call_command("load_demo", stdout=io.StringIO())
    output = io.StringIO()
    call_command("load_demo_invitations", stdout=output)
    call_command("load_demo_invitations", stdout=io.StringIO())

    assert Invitation.objects.count() == 2
    links = [line.rsplit(" ", 1)[1] for line in output.getvalue().splitlines()]
    for link in links:
        page = client.get(link.removeprefix("http://127.0.0.1:8000"))
        assert page.status_code == 200
    assert Invitation.objects.get(transferable=True).seats == 3
