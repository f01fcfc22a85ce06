import pytest

from notifications import registry

from . import kinds


@pytest.fixture(autouse=True)
def test_email_templates(settings):
    settings.TEMPLATES = [
        {**settings.TEMPLATES[0], "DIRS": [*settings.TEMPLATES[0]["DIRS"], kinds.TEMPLATES]}
    ]


def _registered(kind):
    """Register a kind for one test, then put back whatever was registered under its name."""
    previous = registry._kinds.get(kind.name)
    registry.register(kind)
    yield kind
    if previous is None:
        registry.unregister(kind.name)
    else:
        registry.register(previous)


@pytest.fixture
def announcement_kind():
    """A non-transactional kind (it carries unsubscribe headers and respects suppression)."""
    yield from _registered(kinds.ANNOUNCEMENT)


@pytest.fixture
def confirmation_kind():
    """A transactional kind: sent even to suppressed addresses, without unsubscribe headers."""
    yield from _registered(kinds.CONFIRMATION)


@pytest.fixture
def anymail_test_backend(db, settings):
    """anymail's test backend: what it 'sends' lands in Django's mail.outbox.

    After `db`, whose test-case setup replaces mail.outbox.
    """
    settings.EMAIL_BACKEND = "anymail.backends.test.EmailBackend"
    from django.core import mail

    return mail.outbox
