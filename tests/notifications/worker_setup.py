"""Imported by a test's Celery worker (`--include`): the test kinds and templates."""

from tests.notifications.kinds import install_in_worker

install_in_worker()
