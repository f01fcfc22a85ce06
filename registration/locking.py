"""Bounded lock waits: a request waits a short while for a seat, then says "busy, try again".

Seats are counter rows that every registration of an event updates, so under a rush each
transaction queues on them. Waiting without limit turns a burst into requests that hang for
seconds and pile up in the web workers; a lock timeout (PostgreSQL's `lock_timeout`, scoped to
the transaction with SET LOCAL) turns them into a quick 503 with Retry-After that wrote nothing.
"""

import math
from contextlib import contextmanager

from django.conf import settings
from django.db import OperationalError, connection, transaction
from django.utils.translation import gettext as _

LOCK_NOT_AVAILABLE = "55P03"  # PostgreSQL's SQLSTATE for a lock_timeout that ran out


class Busy(Exception):
    """A lock was not granted within REGISTRATION_LOCK_TIMEOUT_MS; nothing was written."""

    def __init__(self):
        super().__init__(_("Many people are registering right now. Please try again in a moment."))
        self.reason = str(self)
        self.retry_after = retry_after_seconds()


def retry_after_seconds() -> int:
    return max(1, math.ceil(settings.REGISTRATION_LOCK_TIMEOUT_MS / 1000))


def _limit_lock_wait():
    if connection.vendor == "postgresql":
        timeout = int(settings.REGISTRATION_LOCK_TIMEOUT_MS)
        with connection.cursor() as cursor:
            cursor.execute(f"SET LOCAL lock_timeout = {timeout}")


def _is_lock_timeout(error) -> bool:
    return getattr(error.__cause__, "sqlstate", None) == LOCK_NOT_AVAILABLE


@contextmanager
def bounded_transaction():
    """transaction.atomic() whose lock waits end after REGISTRATION_LOCK_TIMEOUT_MS with Busy.

    Also a decorator. Nested in another transaction, the limit holds until that one ends.
    """
    try:
        with transaction.atomic():
            _limit_lock_wait()
            yield
    except OperationalError as error:
        if _is_lock_timeout(error):
            raise Busy from error
        raise
