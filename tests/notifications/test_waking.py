"""Waking the sender: messages committed close together in one process travel in one task."""

import threading
from unittest import mock

import pytest
from django.db import transaction

from notifications import tasks, waking
from notifications.models import Message
from tests.factories import EventFactory


@pytest.fixture
def handed(settings):
    """A Waker whose hand-overs are recorded; its flush is called by hand, not by a timer."""
    settings.OUTBOX_WAKE_SECONDS = 60  # the timer never fires during a test
    calls = []
    waker = waking.Waker(lambda ids: calls.append(list(ids)))
    yield waker, calls
    if waker._timer is not None:
        waker._timer.cancel()


def test_ids_woken_within_the_window_are_handed_over_once_together(handed):
    waker, calls = handed

    waker.wake([1])
    waker.wake([2, 3])
    waker.wake([4])

    assert calls == []  # nothing yet: the window is open
    waker.flush()
    assert calls == [[1, 2, 3, 4]]
    waker.flush()
    assert calls == [[1, 2, 3, 4]]  # nothing twice


def test_the_timer_hands_them_over_without_anyone_asking(settings):
    settings.OUTBOX_WAKE_SECONDS = 0.05
    arrived = threading.Event()
    calls = []
    waker = waking.Waker(lambda ids: (calls.append(ids), arrived.set()))

    waker.wake([7])
    waker.wake([8])

    assert arrived.wait(5)
    assert calls == [[7, 8]]


def test_without_a_window_or_with_a_whole_task_they_go_at_once(handed, settings):
    waker, calls = handed
    settings.OUTBOX_BATCH_SIZE = 3

    waker.wake([1, 2, 3])  # a task's worth: no reason to wait
    assert calls == [[1, 2, 3]]

    settings.OUTBOX_WAKE_SECONDS = 0
    waker.wake([4])
    assert calls == [[1, 2, 3], [4]]


def test_a_forked_worker_does_not_hand_over_its_parents_ids(handed):
    waker, calls = handed
    waker.wake([1])

    with mock.patch("os.getpid", return_value=waker._pid + 1):  # as in the forked child
        waker.flush()
        assert calls == []  # the parent's ids are the parent's to hand over
        waker.wake([2])
        waker.flush()

    assert calls == [[2]]


@pytest.mark.django_db(transaction=True)
def test_registrations_committed_in_a_burst_are_published_in_one_task(
    settings, organization, register
):
    settings.OUTBOX_WAKE_SECONDS = 60
    event = EventFactory(organization=organization, capacity_in_person=10)
    with mock.patch.object(tasks.send_messages, "apply_async") as publish:
        for _ in range(3):
            register(event)  # each in its own transaction, committed
        assert publish.call_count == 0
        waker = waking._waker
        waker._timer.cancel()
        waker.flush()

    published = [call.args[0][0] for call in publish.call_args_list]
    assert published == [sorted(Message.objects.values_list("pk", flat=True))]


@pytest.mark.django_db(transaction=True)
def test_a_rolled_back_transaction_wakes_nobody(settings, organization, register):
    settings.OUTBOX_WAKE_SECONDS = 60
    event = EventFactory(organization=organization)
    with (
        mock.patch.object(waking._waker, "wake") as wake,
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        register(event)
        raise RuntimeError("the request failed after registering")

    assert wake.call_count == 0
    assert not Message.objects.exists()
