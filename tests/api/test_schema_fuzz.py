"""The schema fuzzer: schemathesis sends generated requests for every operation of the
OpenAPI schema to a live server with a seeded database (a team, its manager's token, a hybrid
event with a session, a question, a speaker, a registration and an invitation) and checks each
answer: never a server error, only documented status codes and content types, and bodies
that match the documented schema.

Bounded in time: a fixed number of examples per operation (derandomized, so every run sends
the same requests and a failure is reproducible), no shrinking. Reported as its own test with
one sub-test per operation; run it alone with `make test ARGS="-m fuzz"`.
"""

import pytest
import schemathesis
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from rest_framework.authtoken.models import Token
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from events.models import Event, Membership
from registration.models import Question
from tests.factories import (
    EventFactory,
    InvitationFactory,
    MembershipFactory,
    SessionFactory,
    SpeakerFactory,
)

EXAMPLES_PER_OPERATION = 5
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]

pytestmark = [pytest.mark.fuzz, pytest.mark.django_db(transaction=True)]
FUZZ_SUMMARY = pytest.StashKey[dict]()


@pytest.fixture
def seeded(unthrottled, register):
    """What the generated requests find when they name a real object, instead of a 404."""
    manager = MembershipFactory(role=Membership.Role.OWNER).user
    event = EventFactory(
        organization=manager.memberships.get().organization,
        slug="fuzz-briefing",
        format=Event.Format.HYBRID,
        online_join_url="https://zoom.example.org/j/42",
        capacity_in_person=50,
    )
    SessionFactory(event=event)
    SpeakerFactory(event=event)
    Question.objects.create(event=event, label="Dietary needs")
    registration = register(event, email="delegate@mission.example")
    invitation = InvitationFactory(event__organization=event.organization, mission=True)
    return {
        "token": Token.objects.create(user=manager).key,
        "event_slug": event.slug,
        "slug": event.slug,
        "manage_token": registration.manage_token,
        "invitation_token": invitation.token,
    }


def _operations(live_server):
    schema = schemathesis.openapi.from_url(f"{live_server.url}/api/v1/schema/?format=json")
    schema.config.base_url = live_server.url
    return [result.ok() for result in schema.get_all_operations()]


def _with_seeded_objects(case, seeded):
    """Name the seeded objects in the path, so the operation gets past its 404."""
    for name in ("event_slug", "slug"):
        if name in (case.path_parameters or {}):
            case.path_parameters[name] = seeded[name]
    if "token" in (case.path_parameters or {}):
        is_invitation = case.operation.path.startswith("/api/v1/invitations/")
        case.path_parameters["token"] = seeded[
            "invitation_token" if is_invitation else "manage_token"
        ]


FUZZ_SETTINGS = settings(
    max_examples=EXAMPLES_PER_OPERATION,
    derandomize=True,
    deadline=None,
    phases=[Phase.explicit, Phase.generate],
    suppress_health_check=list(HealthCheck),
    database=None,
)


def test_api_answers_as_its_schema_says(live_server, seeded, subtests, request):
    headers = {"Authorization": f"Token {seeded['token']}"}
    operations = _operations(live_server)
    assert len(operations) > 40
    summary = request.config.stash.setdefault(FUZZ_SUMMARY, {"operations": 0, "requests": 0})

    for operation in operations:
        summary["operations"] += 1
        with subtests.test(msg=operation.label):

            @FUZZ_SETTINGS
            @given(case=operation.as_strategy(), seeded_path=st.booleans())
            def fuzz(case, seeded_path):
                if seeded_path:
                    _with_seeded_objects(case, seeded)
                summary["requests"] += 1
                case.call_and_validate(headers=headers, checks=CHECKS, timeout=10)

            fuzz()
