"""Reads for registration pages: what the registration form and the manage page show."""

from django.db.models import Count

from . import capacity
from .models import Registration
from .services import allowed_modes


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
