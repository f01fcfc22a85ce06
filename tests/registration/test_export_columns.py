"""Exports with a column per session and per question, and the columns the organizer chose."""

import csv
import io

import openpyxl
import pytest
from django.urls import reverse

from registration import export
from registration.models import Question, Registration
from tests.factories import SessionFactory


@pytest.fixture
def lunch(hybrid_event):
    return SessionFactory(event=hybrid_event, title="Working lunch", capacity=40)


@pytest.fixture
def questions(hybrid_event):
    return {
        "diet": Question.objects.create(event=hybrid_event, label="Dietary needs", order=1),
        "topics": Question.objects.create(
            event=hybrid_event,
            label="Topics",
            kind=Question.Kind.MULTI_CHOICE,
            choices=["Protection of civilians", "Partnerships", "Training"],
            order=2,
        ),
        "access": Question.objects.create(
            event=hybrid_event, label="Step-free access", kind=Question.Kind.CHECKBOX, order=3
        ),
    }


@pytest.fixture
def registrants(hybrid_event, register, lunch, questions):
    ana = register(
        hybrid_event,
        first_name="Ana",
        last_name="Silva",
        sessions=[lunch.pk],
        answers={
            str(questions["diet"].pk): "Vegetarian",
            str(questions["topics"].pk): ["Protection of civilians", "Training"],
            str(questions["access"].pk): True,
        },
    )
    kofi = register(hybrid_event, first_name="Kofi", last_name="Mensah")
    return ana, kofi


def read_csv(content):
    return list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))


def test_csv_has_a_column_per_session_and_per_question(hybrid_event, registrants):
    rows = read_csv(export.as_csv(hybrid_event, Registration.objects.order_by("pk")))

    header = rows[0]
    assert header[-4:] == [
        "Session: Working lunch",
        "Dietary needs",
        "Topics",
        "Step-free access",
    ]
    assert rows[1][-4:] == ["yes", "Vegetarian", "Protection of civilians; Training", "yes"]
    assert rows[2][-4:] == ["", "", "", ""]


def test_xlsx_has_the_same_columns(hybrid_event, registrants):
    content = export.as_xlsx(hybrid_event, Registration.objects.order_by("pk"))

    sheet = openpyxl.load_workbook(io.BytesIO(content)).active
    values = [[cell.value for cell in row] for row in sheet.iter_rows()]
    assert values[0][-2:] == ["Topics", "Step-free access"]
    assert values[1][-2:] == ["Protection of civilians; Training", "yes"]


@pytest.fixture
def manager_client(client, manager):
    client.force_login(manager)
    return client


def test_organizer_chooses_the_columns_and_their_order(
    manager_client, hybrid_event, registrants, questions
):
    url = reverse("registrants:export_csv", kwargs={"slug": hybrid_event.slug})

    response = manager_client.get(
        url, {"columns": ["last_name", "email", f"question:{questions['diet'].pk}"]}
    )

    rows = read_csv(response.content)
    assert rows[0] == ["Last name", "Email", "Dietary needs"]
    assert rows[1] == ["Silva", registrants[0].email, "Vegetarian"]


def test_the_registrants_page_offers_every_column_to_tick(
    manager_client, hybrid_event, registrants, lunch
):
    page = manager_client.get(reverse("registrants:list", kwargs={"slug": hybrid_event.slug}))

    content = page.content.decode()
    assert f'name="columns" value="session:{lunch.pk}" checked' in content
    assert 'name="columns" value="email" checked' in content
    assert reverse("registrants:badges_pdf", kwargs={"slug": hybrid_event.slug}) in content


def test_an_unknown_column_is_refused_with_the_known_ones(
    manager_client, hybrid_event, registrants
):
    url = reverse("registrants:export_csv", kwargs={"slug": hybrid_event.slug})

    page = manager_client.get(url, {"columns": "email,shoe_size"}, follow=True)

    assert "Unknown columns: shoe_size. Choose from: honorific" in page.content.decode()


def test_api_takes_columns_and_refuses_unknown_ones(hybrid_event, registrants, manager, questions):
    from rest_framework.test import APIClient

    client = APIClient()
    client.force_authenticate(manager)
    path = f"/api/v1/events/{hybrid_event.slug}/registrations/export/"

    chosen = client.get(path, {"columns": f"first_name,question:{questions['topics'].pk}"})
    unknown = client.get(path, {"columns": "first_name,question:999999"})

    assert read_csv(chosen.content)[:2] == [
        ["First name", "Topics"],
        ["Ana", "Protection of civilians; Training"],
    ]
    assert unknown.status_code == 400
    assert "question:999999" in unknown.json()["columns"][0]


def test_viewers_may_not_export(client, organization, hybrid_event, registrants):
    from events.models import Membership
    from tests.factories import MembershipFactory

    client.force_login(
        MembershipFactory(organization=organization, role=Membership.Role.VIEWER).user
    )

    for name in ("export_csv", "badges_pdf", "badges_csv"):
        assert (
            client.get(
                reverse(f"registrants:{name}", kwargs={"slug": hybrid_event.slug})
            ).status_code
            == 403
        )
