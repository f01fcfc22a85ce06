"""Waking the sender: under a rush, many requests' messages travel to Celery in one task.

Every request that writes a message hands its id to the sender once its transaction commits.
One Celery publish per request cost about 0.25 ms of a web worker's CPU, 8% of a registration's;
ids committed within OUTBOX_WAKE_SECONDS of each other in one process now go in one publish
(a quiet request waits at most that long). Nothing depends on this for safety: the rows are
committed before their ids are handed over, and the outbox sweep queues any row whose task never
came (a process that died holding ids, a broker that was down).
"""

import atexit
import os
import threading

from django.conf import settings


class Waker:
    """Collects ids in this process and hands them to `send` together, a short while later."""

    def __init__(self, send):
        self._send = send
        self._lock = threading.Lock()
        self._ids = []
        self._timer = None
        self._pid = os.getpid()
        atexit.register(self.flush)  # a worker stopping hands over what it holds

    def wake(self, message_ids):
        delay = settings.OUTBOX_WAKE_SECONDS
        if delay <= 0 or len(message_ids) >= settings.OUTBOX_BATCH_SIZE:
            self._send(list(message_ids))  # nothing to wait for: a whole task's worth
            return
        with self._lock:
            if self._pid != os.getpid():
                # A forked web worker: the ids and timer copied from its parent are not its own.
                self._ids, self._timer, self._pid = [], None, os.getpid()
            self._ids.extend(message_ids)
            if self._timer is None:
                self._timer = threading.Timer(delay, self.flush)
                self._timer.daemon = True
                self._timer.start()

    def flush(self):
        """Hand over the ids collected so far (the timer's call; also at exit)."""
        with self._lock:
            if self._pid != os.getpid():
                return
            message_ids, self._ids, self._timer = self._ids, [], None
        if message_ids:
            self._send(message_ids)


def _queue_for_sending(message_ids):
    from . import services  # looked up when it runs: a test's stand-in for it is the one called

    services.queue_for_sending(message_ids)


_waker = Waker(_queue_for_sending)


def wake_sender(message_ids):
    """Hand messages a transaction has just committed to the sender: at once, or with others
    committed within OUTBOX_WAKE_SECONDS in this process."""
    _waker.wake(message_ids)
