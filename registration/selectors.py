"""Reads for registration pages: what the registration form and the manage page show."""

from django.db.models import Count, Exists, OuterRef

from events.models import Event
from events.prepared import PreparedQuery

from . import capacity
from .models import Question, Registration
from .services import allowed_modes

# Every registration reads it: built into SQL once per process (events/prepared.py).
_EVENT_TO_REGISTER_FOR = PreparedQuery(
    lambda slug: (
        Event.objects.visible_to_public()
        .annotate(has_questions=Exists(Question.objects.filter(event=OuterRef("pk"))))
        .filter(slug=slug)[:1]
    )
)


def event_to_register_for(slug) -> tuple[Event | None, list]:
    """The event anyone may register for by URL (not a draft), and its questions: (None, [])
    when there is no such event.

    Most events ask no questions; the event's own query says whether it has any, so registering
    for them reads one row.
    """
    event = _EVENT_TO_REGISTER_FOR.first(slug=slug)
    if event is None:
        return None, []
    return event, list(Question.objects.filter(event=event)) if event.has_questions else []


def places_left(event) -> dict[str, int | None]:
    """Places still free in each attendance mode the event offers; None where unlimited.

    Counted from confirmed registrations, so the number shown never claims more than exists.
    """
    confirmed = dict(
        Registration.objects.confirmed()
        .filter(event=event)
        .order_by()
        .values("attendance_mode")
        .annotate(count=Count("id"))
        .values_list("attendance_mode", "count")
    )
    left = {}
    for mode in allowed_modes(event):
        limit = capacity.mode_limit(event, mode)
        left[mode] = None if limit is None else max(limit - confirmed.get(mode, 0), 0)
    return left
