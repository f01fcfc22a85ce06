"""Team management: create a team, invite colleagues, change roles, remove members; personal API
tokens. One transaction each; the views and the API check who may call them (teams/rules.py)."""

import enum
from datetime import timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from events.audit import Actor, log_action
from events.models import Membership, Organization
from notifications.models import normalize_email

from . import emails
from .models import (
    API_TOKEN_PREFIX,
    API_TOKEN_SHOWN,
    ApiToken,
    TeamInvitation,
    hash_secret,
    new_secret,
)


@transaction.atomic
def create_team(*, actor: Actor, user, **fields) -> Organization:
    """Create an organizer team with `user` as its owner (one entry: the owner comes with it)."""
    team = Organization(**fields, is_team=True, code=None)
    team.full_clean()
    team.save()
    Membership.objects.create(user=user, organization=team, role=Membership.Role.OWNER)
    log_action(
        actor=actor,
        action="team.created",
        obj=team,
        data={"name": team.name, "owner": user.get_username()},
    )
    return team


# --- Invitations -------------------------------------------------------------------------------


class InvitationRefused(Exception):
    """The invitation link cannot add this account to the team; `reason` says why."""

    class Reason(enum.Enum):
        USED = "used"
        EXPIRED = "expired"
        REVOKED = "revoked"
        ALREADY_MEMBER = "already_member"

    def __init__(self, reason: "InvitationRefused.Reason"):
        self.reason = reason
        super().__init__(self.message)

    @property
    def message(self):
        return {
            self.Reason.USED: _("This invitation has been used already; each link works once."),
            self.Reason.EXPIRED: _(
                "This invitation has expired. Ask the team's owner to invite you again."
            ),
            self.Reason.REVOKED: _("This invitation was withdrawn by the team's owner."),
            self.Reason.ALREADY_MEMBER: _("You are on this team already."),
        }[self.reason]


def invitation_days():
    return settings.PLENARY_TEAM_INVITATION_DAYS


@transaction.atomic
def invite_member(*, actor: Actor, team, email, role, invited_by, language="") -> TeamInvitation:
    """Invite `email` to the team with `role`, by an email with a one-time link.

    Inviting the same address again withdraws the earlier link and sends a new one.
    """
    email = normalize_email(email)
    try:
        validate_email(email)
    except ValidationError:
        raise ValidationError(
            {"email": _("Enter an email address like name@example.org.")}
        ) from None
    if role not in Membership.Role.values:
        raise ValidationError({"role": _("Choose one of the roles.")})
    if Membership.objects.filter(organization=team, user__email__iexact=email).exists():
        raise ValidationError({"email": _("%(email)s is on the team already.") % {"email": email}})
    now = timezone.now()
    TeamInvitation.objects.pending(now).filter(team=team, email=email).update(revoked_at=now)
    token = new_secret()
    invitation = TeamInvitation.objects.create(
        team=team,
        email=email,
        role=role,
        token_hash=hash_secret(token),
        invited_by=invited_by,
        expires_at=now + timedelta(days=invitation_days()),
    )
    emails.send_invitation(invitation, token, language=language)
    log_action(
        actor=actor, action="member.invited", obj=invitation, data={"email": email, "role": role}
    )
    return invitation


@transaction.atomic
def revoke_invitation(*, actor: Actor, invitation: TeamInvitation) -> TeamInvitation:
    """Withdraw a pending invitation: its link stops working. Logged only if it was pending."""
    now = timezone.now()
    revoked = TeamInvitation.objects.pending(now).filter(pk=invitation.pk).update(revoked_at=now)
    invitation.refresh_from_db()
    if revoked:
        log_action(
            actor=actor,
            action="team_invitation.revoked",
            obj=invitation,
            data={"email": invitation.email},
        )
    return invitation


def _refusal(invitation, now):
    status = invitation.status(now)
    return InvitationRefused(
        {
            TeamInvitation.Status.ACCEPTED: InvitationRefused.Reason.USED,
            TeamInvitation.Status.REVOKED: InvitationRefused.Reason.REVOKED,
            TeamInvitation.Status.EXPIRED: InvitationRefused.Reason.EXPIRED,
        }[status]
    )


def check_invitation(invitation: TeamInvitation, user=None, now=None) -> None:
    """Raise InvitationRefused if the link can no longer add `user` (or anyone) to the team."""
    now = now or timezone.now()
    if invitation.status(now) != TeamInvitation.Status.PENDING:
        raise _refusal(invitation, now)
    if (
        user is not None
        and user.is_authenticated
        and Membership.objects.filter(organization=invitation.team_id, user=user).exists()
    ):
        raise InvitationRefused(InvitationRefused.Reason.ALREADY_MEMBER)


@transaction.atomic
def accept_invitation(*, invitation: TeamInvitation, user) -> Membership:
    # The actor is the user accepting: nobody else can act through their link.
    """Add `user` to the team with the invitation's role. The link works once: of two requests
    at the same time, one conditional UPDATE claims it and the other is refused."""
    now = timezone.now()
    check_invitation(invitation, user, now)
    claimed = (
        TeamInvitation.objects.pending(now)
        .filter(pk=invitation.pk)
        .update(accepted_at=now, accepted_by=user)
    )
    if not claimed:
        invitation.refresh_from_db()
        raise _refusal(invitation, now)
    try:
        with transaction.atomic():
            membership = Membership.objects.create(
                user=user, organization_id=invitation.team_id, role=invitation.role
            )
    except IntegrityError:  # joined through another invitation meanwhile
        raise InvitationRefused(InvitationRefused.Reason.ALREADY_MEMBER) from None
    log_action(
        actor=Actor.user(user),
        action="member.joined",
        obj=membership,
        data={"user": user.get_username(), "role": membership.role},
    )
    return membership


@transaction.atomic
def accept_invitation_with_new_account(
    *, invitation: TeamInvitation, first_name, last_name, password
) -> Membership:
    """Create an account for the invited address (its user name is the address) and join."""
    check_invitation(invitation)
    User = get_user_model()
    if (
        User.objects.filter(username__iexact=invitation.email).exists()
        or User.objects.filter(email__iexact=invitation.email).exists()
    ):
        raise ValidationError(
            _("There is an account for %(email)s already: sign in to join the team.")
            % {"email": invitation.email}
        )
    user = User(
        username=invitation.email,
        email=invitation.email,
        first_name=first_name.strip(),
        last_name=last_name.strip(),
    )
    try:
        validate_password(password, user)
    except ValidationError as error:
        raise ValidationError({"password": error.messages}) from None
    user.set_password(password)
    user.save()
    return accept_invitation(invitation=invitation, user=user)


# --- Members -----------------------------------------------------------------------------------


class LastOwner(Exception):
    """The change would leave the team without an owner."""

    def __init__(self):
        super().__init__(
            _("A team needs an owner: make someone else owner before this one steps down.")
        )


def _owners_locked(team_id):
    """Lock the team's owners, so two owners cannot step down at the same time."""
    return list(
        Membership.objects.select_for_update()
        .filter(organization_id=team_id, role=Membership.Role.OWNER)
        .order_by("pk")
        .values_list("pk", flat=True)
    )


@transaction.atomic
def change_role(*, actor: Actor, membership: Membership, role) -> Membership:
    """Give a member another role; logged only when it is another."""
    if role not in Membership.Role.values:
        raise ValidationError({"role": _("Choose one of the roles.")})
    owners = _owners_locked(membership.organization_id)
    membership = Membership.objects.select_for_update().get(pk=membership.pk)
    if role != Membership.Role.OWNER and owners == [membership.pk]:
        raise LastOwner
    previous = membership.role
    membership.role = role
    membership.save(update_fields=["role"])
    if previous != role:
        log_action(
            actor=actor,
            action="member.role_changed",
            obj=membership,
            data={
                "user": membership.user.get_username(),
                "role": {"from": previous, "to": role},
            },
        )
    return membership


@transaction.atomic
def remove_member(*, actor: Actor, membership: Membership) -> None:
    owners = _owners_locked(membership.organization_id)
    if owners == [membership.pk]:
        raise LastOwner
    if Membership.objects.filter(pk=membership.pk).delete()[0]:
        log_action(
            actor=actor,
            action="member.removed",
            obj=membership,
            data={"user": membership.user.get_username(), "role": membership.role},
        )


# --- Personal API tokens -----------------------------------------------------------------------


@transaction.atomic
def create_api_token(*, actor: Actor, user, name) -> tuple[ApiToken, str]:
    """A new token for `user`, and its key: shown this once, stored only as its hash."""
    key = API_TOKEN_PREFIX + new_secret()
    token = ApiToken(
        user=user, name=name.strip(), prefix=key[:API_TOKEN_SHOWN], key_hash=hash_secret(key)
    )
    token.full_clean(exclude=["user"])
    token.save()
    log_action(
        actor=actor,
        action="api_token.created",
        obj=token,
        data={"name": token.name, "prefix": token.prefix},
    )
    return token, key


@transaction.atomic
def revoke_api_token(*, actor: Actor, token: ApiToken) -> None:
    """Delete the token: requests sending its key are refused from now on."""
    if ApiToken.objects.filter(pk=token.pk).delete()[0]:
        log_action(
            actor=actor,
            action="api_token.revoked",
            obj=token,
            data={"name": token.name, "prefix": token.prefix},
        )


def password_api_token(*, user):
    """The user's token of `POST /api/v1/auth/token/` (DRF's, one per user), made on first ask.

    Integrators' scripts trade a password for it; making it is logged in the user's own name.
    """
    from rest_framework.authtoken.models import Token

    token, created = Token.objects.get_or_create(user=user)
    if created:
        log_action(
            actor=Actor.user(user),
            action="api_token.created",
            obj=token,
            object_id=str(user.pk),
            data={"name": "password token"},
        )
    return token


# Writing "last used" at most this often keeps a busy integration from writing on every request.
LAST_USED_PRECISION = timedelta(minutes=1)


def authenticate_api_token(key: str):
    """The token with this key, its user loaded, or None; marks it used."""
    token = ApiToken.objects.select_related("user").filter(key_hash=hash_secret(key)).first()
    if token is None:
        return None
    now = timezone.now()
    if token.last_used_at is None or now - token.last_used_at > LAST_USED_PRECISION:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now
    return token
