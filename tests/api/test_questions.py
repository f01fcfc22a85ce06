"""The questions an event asks its registrants, managed through the API."""

import pytest

from registration.models import Question


def questions_url(event, suffix=""):
    return f"/api/v1/events/{event.slug}/questions/{suffix}"


@pytest.fixture
def question(event):
    return Question.objects.create(
        event=event, label="Dietary needs", kind=Question.Kind.TEXT, order=2
    )


def test_manager_adds_a_choice_question(manager_client, event):
    response = manager_client.post(
        questions_url(event),
        {
            "label": "Will you join the working lunch?",
            "kind": "choice",
            "choices": ["Yes", "No"],
            "required": True,
            "order": 1,
        },
        format="json",
    )

    assert response.status_code == 201
    question = Question.objects.get()
    assert question.event == event
    assert response.json() == {
        "id": question.pk,
        "label": "Will you join the working lunch?",
        "kind": "choice",
        "choices": ["Yes", "No"],
        "required": True,
        "order": 1,
    }


@pytest.mark.parametrize(
    ("kind", "choices"),
    [("choice", ["Only one"]), ("text", ["Yes", "No"]), ("multi_choice", "Yes, No")],
)
def test_choices_that_do_not_fit_the_kind_are_400(manager_client, event, kind, choices):
    response = manager_client.post(
        questions_url(event), {"label": "Lunch?", "kind": kind, "choices": choices}, format="json"
    )

    assert response.status_code == 400
    assert "choices" in response.json()
    assert not Question.objects.exists()


def test_questions_are_listed_in_order(viewer_client, event, question):
    first = Question.objects.create(event=event, label="Accessibility needs", order=1)

    response = viewer_client.get(questions_url(event))

    assert response.status_code == 200
    assert [row["id"] for row in response.json()["results"]] == [first.pk, question.pk]


def test_manager_edits_and_deletes_a_question(manager_client, event, question):
    edited = manager_client.patch(
        questions_url(event, f"{question.pk}/"), {"required": True}, format="json"
    )
    deleted = manager_client.delete(questions_url(event, f"{question.pk}/"))

    assert edited.status_code == 200
    assert edited.json()["required"] is True
    assert deleted.status_code == 204
    assert not Question.objects.exists()


def test_viewer_may_not_change_questions(viewer_client, event, question):
    response = viewer_client.patch(
        questions_url(event, f"{question.pk}/"), {"required": True}, format="json"
    )

    assert response.status_code == 403


def test_another_organizations_questions_are_404(client_for, outsider, event, question):
    client = client_for(outsider)

    assert client.get(questions_url(event)).status_code == 404
    assert client.delete(questions_url(event, f"{question.pk}/")).status_code == 404
    assert Question.objects.exists()


@pytest.fixture
def viewer_client(client_for, viewer):
    return client_for(viewer)
