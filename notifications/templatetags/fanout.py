"""`{% fanout_progress event %}`: the event's messages being written to many people, with their
progress; it polls itself with htmx while any are at work (and a reload shows it without JS)."""

from django import template

from notifications import jobs

register = template.Library()


def progress_context(event) -> dict:
    recent = jobs.recent_for_event(event)
    return {
        "event": event,
        "jobs": [{"job": job, "description": jobs.describe(job)} for job in recent],
        "working": any(not job.is_finished for job in recent),
    }


@register.inclusion_tag("notifications/workspace/_fanout_progress.html")
def fanout_progress(event):
    return progress_context(event)
