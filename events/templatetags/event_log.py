"""{% registration_history registration %}: what happened to a registration, for any organizer
page that shows one (the data comes from events.log, not from the page's view)."""

from django import template

from .. import log

register = template.Library()

HISTORY_LIMIT = 50


@register.inclusion_tag("workspace/_registration_history.html")
def registration_history(registration, limit=HISTORY_LIMIT):
    event = registration.event
    entries = list(log.registration_history(registration)[: limit + 1])
    return {
        "event": event,
        "registration": registration,
        "rows": log.rows(entries[:limit], event.tzinfo),
        "more": len(entries) > limit,
    }
