"""The guest list as a CSV file: one invitation a row with where it stands in the funnel, or the
funnel per organization or per country (which missions have answered and which have not).

UTF-8 with a byte order mark for Excel; a cell that begins like a formula is made text, as in
registration's export. The invitation links are not in it: they reach only their addresses.
"""

import csv
import io

from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django_countries import countries

from registration.export import ExportFile, neutralise_formula

from . import selectors
from .models import Invitation

GROUPINGS = ("invitation", "organization", "country")
_REACHED = {
    Invitation.Delivery.DELIVERED,
    Invitation.Delivery.OPENED,
    Invitation.Delivery.COMPLAINED,
}


def _local(moment, zone) -> str:
    return timezone.localtime(moment, zone).strftime("%Y-%m-%d %H:%M") if moment else ""


def _yes(value) -> str:
    return _("yes") if value else _("no")


def _invitation_rows(event, invitations):
    zone = event.tzinfo
    yield [
        _("Email"), _("Honorific"), _("First name"), _("Last name"), _("Position"),
        _("Organization"), _("Country"), _("Country code"), _("Language"), _("Seats"),
        _("Seats used"), _("Transferable"), _("Status"), _("Reason for declining"), _("Sent"),
        _("Delivered"), _("Opened (unreliable)"), _("Answered"), _("Reminded"), _("Expires"),
        _("Not delivered because"),
    ]  # fmt: skip
    answered_states = {Invitation.State.REGISTERED, Invitation.State.DECLINED}
    for invitation in invitations.iterator(chunk_size=2000):
        answered = invitation.answered or invitation.state in answered_states
        reached = invitation.times_sent and (invitation.delivery in _REACHED or answered)
        opened = invitation.times_sent and (
            invitation.delivery == Invitation.Delivery.OPENED or answered
        )
        suppressed = (
            f"{invitation.suppression_label} ({invitation.suppressed_at:%Y-%m-%d})"
            if invitation.suppressed_reason
            else ""
        )
        yield [
            invitation.email, invitation.honorific, invitation.first_name, invitation.last_name,
            invitation.position, invitation.organization_name,
            str(invitation.country.name) if invitation.country else "",
            invitation.country.code or "", invitation.language or event.language,
            str(invitation.seats), str(invitation.seats_used), _yes(invitation.transferable),
            str(invitation.state_label), invitation.decline_reason,
            _local(invitation.sent_at, zone), _yes(reached), _yes(opened),
            _local(invitation.responded_at, zone), _local(invitation.reminded_at, zone),
            _local(invitation.expires_at, zone), suppressed,
        ]  # fmt: skip


def _funnel_rows(event, grouping):
    yield [
        _("Organization") if grouping == "organization" else _("Country"),
        _("Invited"), _("Sent"), _("Delivered"), _("Opened (unreliable)"), _("Registered"),
        _("Declined"), _("No answer"),
    ]  # fmt: skip
    for row in selectors.funnel_by(event, grouping):
        name = row[grouping] or ""
        if grouping == "country":
            name = countries.name(name) or name
        yield [name] + [
            str(row[key])
            for key in ("invited", "sent", "delivered", "opened", "registered", "declined",
                        "no_answer")
        ]  # fmt: skip


def export(event, invitations, grouping="invitation") -> ExportFile:
    """The guest list (`invitations`, as selectors.guest_list reads them) or its funnel by
    organization or country, as a CSV file named after the event."""
    if grouping not in GROUPINGS:
        raise ValueError(f"Unknown grouping: {grouping}")
    rows = (
        _invitation_rows(event, invitations)
        if grouping == "invitation"
        else _funnel_rows(event, grouping)
    )
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    for row in rows:
        writer.writerow([neutralise_formula(value or "") for value in row])
    stamp = timezone.localtime(timezone.now(), event.tzinfo).strftime("%Y%m%d")
    suffix = "guest-list" if grouping == "invitation" else f"invitations-by-{grouping}"
    filename = f"{slugify(event.slug)[:60]}-{suffix}-{stamp}.csv"
    return ExportFile(buffer.getvalue().encode("utf-8-sig"), "text/csv; charset=utf-8", filename)
