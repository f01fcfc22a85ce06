"""The registrants page builds each row's decision and history links from the list's own
address."""

import re

import pytest
from django.urls import reverse

from tests.factories import EventFactory
from tests.registration.test_registrants_page import decision_url


@pytest.fixture
def approval_event(organization):
    return EventFactory(organization=organization, requires_approval=True, capacity_in_person=1)


def test_each_row_links_to_its_own_decisions(client, manager, approval_event, register):
    pending = register(approval_event)
    client.force_login(manager)

    page = client.get(reverse("registrants:list", kwargs={"slug": approval_event.slug}))

    html = page.content.decode()
    links = set(re.findall(r'(?:action|href)="([^"?]*/registrations/\d+/\w+/)', html))
    assert links == {
        decision_url(pending, "approve"),
        decision_url(pending, "decline"),
        decision_url(pending, "history"),
    }
    for link in links:
        assert client.get(link).status_code in (200, 405)  # the page resolves; POST decides
