"""The invitation funnel on the event's overview page, which belongs to `events`: an inclusion
tag, so the events app needs no knowledge of invitations."""

from django import template
from django_countries import countries

from .. import selectors

register = template.Library()

GROUPS_SHOWN = 200  # the export has them all


@register.inclusion_tag("invitations/workspace/_funnel.html", takes_context=True)
def invitation_funnel(context, event):
    funnel = selectors.funnel(event)
    invited = funnel["invited"] or 1
    stages = [
        ("invited", funnel["invited"]),
        ("sent", funnel["sent"]),
        ("delivered", funnel["delivered"]),
        ("opened", funnel["opened"]),
        ("registered", funnel["registered"]),
        ("declined", funnel["declined"]),
        ("no_answer", funnel["no_answer"]),
    ]
    by_organization = selectors.funnel_by(event, "organization")
    by_country = selectors.funnel_by(event, "country")
    for row in by_country:
        row["name"] = countries.name(row["country"]) if row["country"] else ""
    return {
        "event": event,
        "funnel": funnel,
        "stages": [(name, count, round(100 * count / invited)) for name, count in stages],
        "by_organization": by_organization[:GROUPS_SHOWN],
        "by_country": by_country[:GROUPS_SHOWN],
        "more_organizations": max(len(by_organization) - GROUPS_SHOWN, 0),
        "more_countries": max(len(by_country) - GROUPS_SHOWN, 0),
        "may_change": context.get("may_change"),
    }
