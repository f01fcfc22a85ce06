"""Reads for invitation pages, the guest list and the API: seats, states, counts and the funnel.

An invitation's state is derived (InvitationQuerySet.with_state), so every count here comes from
the same definition the guest list shows.
"""

from dataclasses import dataclass

from django.core.paginator import Page, Paginator
from django.db.models import BooleanField, Case, Count, Exists, OuterRef, QuerySet, Subquery, When
from django.utils import timezone

from events.selectors import directory_entry_named
from notifications.models import Suppression
from registration import capacity
from registration.models import Registration, SeatCounter

from .models import Invitation, ReminderSchedule

State = Invitation.State

# States whose link no longer lets anyone register.
CLOSED_STATUSES = (Invitation.Status.DECLINED, Invitation.Status.REVOKED)


def with_state(invitation: Invitation) -> Invitation:
    """The invitation read again with its state and seats used (one query)."""
    return Invitation.objects.with_state().select_related("event").get(pk=invitation.pk)


def seats_used(invitation: Invitation) -> int:
    """Registrations made with the invitation that still stand; a cancelled or declined one
    frees its seat for another delegate."""
    return Registration.objects.active().filter(invitation_id=invitation.pk).count()


def is_closed(invitation: Invitation, now=None) -> bool:
    """Its link registers nobody more: declined, revoked or expired."""
    return invitation.status in CLOSED_STATUSES or invitation.has_expired(now)


@dataclass(frozen=True)
class Seats:
    """The seats of one invitation as its holder can really use them."""

    total: int  # on the invitation
    used: int  # registrations that stand
    delegation_left: int | None  # the event's per-organization limit left; None: no limit
    closed: bool  # declined, revoked or expired

    @property
    def left_on_invitation(self) -> int:
        return 0 if self.closed else max(self.total - self.used, 0)

    @property
    def usable(self) -> int:
        """What may still be registered: the smaller of the invitation's and the delegation's."""
        if self.delegation_left is None:
            return self.left_on_invitation
        return min(self.left_on_invitation, self.delegation_left)

    @property
    def limited_by_delegation(self) -> bool:
        return self.usable < self.left_on_invitation


def delegation_key(invitation: Invitation) -> str:
    """The seat counter its delegates' registrations count against (see registration.capacity),
    as they register under the invitation's organization: its directory entry when the name is
    one's, as registering resolves it."""
    entry = directory_entry_named(invitation.organization_name)
    key = capacity.delegation_key(
        organization_id=entry.pk if entry else None,
        organization_name=invitation.organization_name,
    )
    return f"org:{key}" if key else ""


def seats(invitation: Invitation, now=None) -> Seats:
    used = seats_used(invitation)
    event = invitation.event
    delegation_left = None
    key = delegation_key(invitation)
    if event.seats_per_organization and key:
        taken = (
            SeatCounter.objects.filter(event=event, key=key).values_list("taken", flat=True).first()
        )
        delegation_left = max(event.seats_per_organization - (taken or 0), 0)
    return Seats(
        total=invitation.seats,
        used=used,
        delegation_left=delegation_left,
        closed=is_closed(invitation, now),
    )


def seats_left(invitation: Invitation) -> int:
    """How many more people may register with the invitation's link now."""
    return seats(invitation).usable


def registered_with(invitation: Invitation) -> QuerySet[Registration]:
    """The delegates registered with a mission's invitation, as its focal point sees them."""
    return (
        Registration.objects.filter(invitation_id=invitation.pk)
        .exclude(status=Registration.Status.CANCELLED)
        .order_by("created_at", "id")
    )


# --- The guest list ----------------------------------------------------------------------------


@dataclass(frozen=True)
class GuestListFilters:
    """What the organizer narrowed the guest list to; empty strings mean "any"."""

    state: str = ""
    search: str = ""
    country: str = ""

    @classmethod
    def from_query(cls, query) -> "GuestListFilters":
        state = query.get("status", "")
        return cls(
            state=state if state in State.values else "",
            search=query.get("q", "").strip()[:200],
            country=query.get("country", "").strip().upper()[:2],
        )

    @property
    def is_set(self) -> bool:
        return any((self.state, self.search, self.country))

    def as_query(self) -> dict[str, str]:
        names = {"state": "status", "search": "q", "country": "country"}
        return {names[name]: value for name, value in vars(self).items() if value}


def guest_list_page(event, filters: GuestListFilters, number, per_page) -> Page:
    """One page of the guest list, its rows read as guest_list() reads them. The page is cut
    from the invitations' ids first, so a late page does not work out the seats and
    suppressions of every invitation before it."""
    ids = guest_list(event, filters).values_list("pk", flat=True)
    page = Paginator(ids, per_page).get_page(number)
    rows = guest_list(event).in_bulk(list(page.object_list))
    page.object_list = [rows[pk] for pk in page.object_list]
    return page


def guest_list(event, filters: GuestListFilters | None = None) -> QuerySet[Invitation]:
    """The event's invitations with their state, seats used and any suppression of their
    address, in a fixed number of queries however many there are."""
    filters = filters or GuestListFilters()
    suppressions = Suppression.objects.filter(email=OuterRef("email"))
    invitations = (
        Invitation.objects.filter(event=event)
        .with_state(event=event)
        .annotate(
            suppressed_reason=Subquery(suppressions.values("reason")[:1]),
            suppressed_at=Subquery(suppressions.values("created_at")[:1]),
        )
        .select_related("event")
        .order_by("organization_name", "last_name", "first_name", "id")
    )
    if filters.state:
        invitations = invitations.filter(state=filters.state)
    if filters.search:
        invitations = invitations.search(filters.search)
    if filters.country:
        invitations = invitations.filter(country=filters.country)
    return invitations


def state_counts(event) -> dict[str, int]:
    """How many invitations are in each state, every state present (zero if none)."""
    counts = dict.fromkeys(State.values, 0)
    rows = (
        Invitation.objects.filter(event=event)
        .with_state(event=event)
        .values("state")
        .annotate(count=Count("id"))
        .order_by()
    )
    counts.update({row["state"]: row["count"] for row in rows})
    return counts


# --- The funnel --------------------------------------------------------------------------------

FUNNEL_STAGES = ("invited", "sent", "delivered", "opened", "registered", "declined", "no_answer")
_REACHED = {
    Invitation.Delivery.DELIVERED,
    Invitation.Delivery.OPENED,
    Invitation.Delivery.COMPLAINED,
}


def _stages(row) -> list[str]:
    """The funnel stages an invitation (a row of _kinds()) has reached."""
    if row["status"] == Invitation.Status.REVOKED:
        return []
    stages = ["invited"]
    if not row["went_out"]:
        return stages
    stages.append("sent")
    answered = row["answered"] or row["status"] == Invitation.Status.DECLINED
    if row["delivery"] in _REACHED or answered:
        stages.append("delivered")
    if row["delivery"] == Invitation.Delivery.OPENED or answered:
        stages.append("opened")
    if row["state"] == State.REGISTERED:
        stages.append("registered")
    elif row["state"] == State.DECLINED:
        stages.append("declined")
    else:
        stages.append("no_answer")
    return stages


def _kinds(event, *fields):
    """The event's invitations counted by everything the funnel reads, in one pass over them:
    each invitation's state is worked out once, not once per figure."""
    return (
        Invitation.objects.filter(event=event)
        .with_state(event=event)
        .annotate(
            went_out=Case(
                When(times_sent__gt=0, then=True), default=False, output_field=BooleanField()
            )
        )
        .values(*fields, "state", "status", "delivery", "answered", "went_out")
        .annotate(count=Count("id"))
        .order_by()
    )


def funnel(event) -> dict[str, int]:
    """How the event's invitations stand: invited → sent → delivered → opened → registered,
    declined or no answer, and the states beside it. "opened" counts what the ESP reports (an
    unreliable figure: many mail programs block the pixel, scanners fetch it) and everyone who
    answered. "registered" counts invitations someone still stands registered with."""
    totals = dict.fromkeys(("total", *FUNNEL_STAGES, "draft", "bounced", "expired", "revoked"), 0)
    for row in _kinds(event):
        totals["total"] += row["count"]
        for stage in _stages(row):
            totals[stage] += row["count"]
        if row["state"] in ("draft", "bounced", "expired", "revoked"):
            totals[row["state"]] += row["count"]
    return totals


GROUPINGS = {"organization": "organization_name", "country": "country"}


def funnel_by(event, grouping: str) -> list[dict]:
    """The funnel per organization or per country, those with invitations not answered first:
    which missions have answered and which have not."""
    field = GROUPINGS[grouping]
    groups: dict[str, dict] = {}
    for row in _kinds(event, field):
        stages = _stages(row)
        if not stages:  # revoked
            continue
        group = groups.setdefault(
            row[field], {grouping: row[field], **dict.fromkeys(FUNNEL_STAGES, 0)}
        )
        for stage in stages:
            group[stage] += row["count"]
    return sorted(
        groups.values(), key=lambda row: (row["no_answer"] == 0, row[grouping] or "\uffff")
    )


# --- Reminders ---------------------------------------------------------------------------------


def to_remind(event, *, ids=None, now=None) -> QuerySet[Invitation]:
    """The invitations a reminder may go to: sent, not answered (nobody ever registered with
    them, not declined), not revoked or expired, not bounced or complained about, and to an
    address that is not suppressed (bounced, complained, unsubscribed)."""
    now = now or timezone.now()
    invitations = (
        Invitation.objects.filter(event=event, status=Invitation.Status.SENT, times_sent__gt=0)
        .exclude(delivery__in=[Invitation.Delivery.BOUNCED, Invitation.Delivery.COMPLAINED])
        .exclude(expires_at__lte=now)
        .exclude(Exists(Registration.objects.filter(invitation_id=OuterRef("pk"))))
        .exclude(Exists(Suppression.objects.filter(email=OuterRef("email"))))
    )
    if ids is not None:
        invitations = invitations.filter(pk__in=ids)
    return invitations


def reminder_schedule(event) -> ReminderSchedule | None:
    return ReminderSchedule.objects.filter(event=event).first()


def due_reminder_schedules(now=None) -> QuerySet[ReminderSchedule]:
    """Schedules whose date has come and whose reminders were not queued yet."""
    return ReminderSchedule.objects.filter(
        remind_at__lte=now or timezone.now(), done_at__isnull=True
    ).select_related("event")
