"""The team pages of the workspace, and the page an invitation link opens.

Every member sees who is on the team; owners invite, change roles and remove. Another team does
not exist for anyone outside it (404). GET only shows; each change is a POST.
"""

from functools import wraps

from django.contrib import messages
from django.contrib.auth import get_user_model, login
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.cache import add_never_cache_headers
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from events.audit import Actor
from events.models import Membership
from events.throttling import InvitationThrottle, throttle

from . import selectors, services
from .forms import InviteForm, NewAccountForm, RoleForm, TeamForm
from .models import TeamInvitation


@login_required
def team_list(request):
    return render(
        request,
        "teams/team_list.html",
        {
            "teams": [
                (team, Membership.Role(team.role).label)
                for team in selectors.teams_with_role(request.user)
            ],
            "may_add_team": request.user.has_perm("teams.add_team"),
        },
    )


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def team_create(request):
    if not request.user.has_perm("teams.add_team"):
        raise PermissionDenied
    form = TeamForm(request.POST or None)
    if form.is_bound and form.is_valid():
        try:
            team = services.create_team(
                actor=Actor.for_request(request), user=request.user, **form.cleaned_data
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Team created. You are its owner: invite your colleagues."))
            return redirect("teams:detail", pk=team.pk)
    return render(request, "teams/team_form.html", {"form": form})


def _team_for_owner(request, pk):
    team = selectors.team_for_member(request.user, pk)
    if not request.user.has_perm("teams.manage_members", team):
        raise PermissionDenied
    return team


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def team_detail(request, pk):
    """Who is on the team; for owners also the invitations out and a form to invite."""
    team = selectors.team_for_member(request.user, pk)
    is_owner = request.user.has_perm("teams.manage_members", team)
    if request.method == "POST" and not is_owner:
        raise PermissionDenied
    form = InviteForm(request.POST or None) if is_owner else None
    if form is not None and form.is_bound and form.is_valid():
        try:
            invitation = services.invite_member(
                actor=Actor.for_request(request),
                team=team,
                invited_by=request.user,
                language=get_language(),
                **form.cleaned_data,
            )
        except ValidationError as error:
            for field, errors in error.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            messages.success(
                request,
                _("Invitation sent to %(email)s. The link in it works once, for %(days)d days.")
                % {"email": invitation.email, "days": services.invitation_days()},
            )
            return redirect("teams:detail", pk=team.pk)
    members = list(selectors.members(team))
    return render(
        request,
        "teams/team_detail.html",
        {
            "team": team,
            "role_label": Membership.Role(team.role).label,
            "members": [
                (
                    membership,
                    RoleForm(initial={"role": membership.role}, prefix=f"m{membership.pk}"),
                )
                for membership in members
            ],
            "is_owner": is_owner,
            "form": form,
            "invitations": selectors.pending_invitations(team) if is_owner else [],
            "owner_count": sum(m.role == Membership.Role.OWNER for m in members),
        },
    )


def _membership(team, member_pk):
    return get_object_or_404(
        Membership.objects.select_related("user"), pk=member_pk, organization=team
    )


@login_required
@require_POST
def member_role(request, pk, member_pk):
    team = _team_for_owner(request, pk)
    membership = _membership(team, member_pk)
    form = RoleForm(request.POST, prefix=f"m{membership.pk}")
    if not form.is_valid():
        messages.error(request, _("Choose one of the roles."))
        return redirect("teams:detail", pk=team.pk)
    try:
        membership = services.change_role(
            actor=Actor.for_request(request), membership=membership, role=form.cleaned_data["role"]
        )
    except services.LastOwner as refusal:
        messages.error(request, str(refusal))
    else:
        messages.success(
            request,
            _("%(name)s is now %(role)s.")
            % {"name": _member_name(membership), "role": membership.get_role_display().lower()},
        )
    return redirect("teams:detail", pk=team.pk)


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def member_remove(request, pk, member_pk):
    """GET asks for confirmation and changes nothing; only the POST button removes."""
    team = _team_for_owner(request, pk)
    membership = _membership(team, member_pk)
    if request.method == "POST":
        try:
            services.remove_member(actor=Actor.for_request(request), membership=membership)
        except services.LastOwner as refusal:
            messages.error(request, str(refusal))
        else:
            messages.success(
                request,
                _("%(name)s is no longer on the team.") % {"name": _member_name(membership)},
            )
            if membership.user_id == request.user.pk:
                return redirect("teams:list")
        return redirect("teams:detail", pk=team.pk)
    return render(request, "teams/member_remove.html", {"team": team, "membership": membership})


@login_required
@require_POST
def invitation_revoke(request, pk, invitation_pk):
    team = _team_for_owner(request, pk)
    invitation = get_object_or_404(TeamInvitation, pk=invitation_pk, team=team)
    services.revoke_invitation(actor=Actor.for_request(request), invitation=invitation)
    messages.success(
        request, _("The invitation to %(email)s is withdrawn.") % {"email": invitation.email}
    )
    return redirect("teams:detail", pk=team.pk)


def _member_name(membership):
    return membership.user.get_full_name() or membership.user.username


def private_page(view):
    """A page opened by a secret link: never cached, and its URL never sent as a referrer."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        response = view(request, *args, **kwargs)
        response["Referrer-Policy"] = "strict-origin"
        add_never_cache_headers(response)
        return response

    return wrapper


@require_http_methods(["GET", "HEAD", "POST"])
@private_page
@throttle(InvitationThrottle)
def join(request, token):
    """The invitation link: join with the account signed in, or create one for the address."""
    invitation = selectors.invitation_for_token(token)
    if invitation is None:
        raise Http404
    context = {"invitation": invitation, "team": invitation.team}
    try:
        services.check_invitation(invitation, request.user)
    except services.InvitationRefused as refusal:
        return render(request, "teams/join.html", context | {"refusal": refusal})

    if request.user.is_authenticated:
        if request.method == "POST":
            try:
                services.accept_invitation(invitation=invitation, user=request.user)
            except services.InvitationRefused as refusal:
                return render(request, "teams/join.html", context | {"refusal": refusal})
            return _joined(request, invitation)
        return render(request, "teams/join.html", context)

    has_account = (
        get_user_model().objects.filter(email__iexact=invitation.email).exists()
        or get_user_model().objects.filter(username__iexact=invitation.email).exists()
    )
    form = None if has_account else NewAccountForm(request.POST or None)
    if form is not None and form.is_bound and form.is_valid():
        try:
            membership = services.accept_invitation_with_new_account(
                invitation=invitation,
                first_name=form.cleaned_data["first_name"],
                last_name=form.cleaned_data["last_name"],
                password=form.cleaned_data["password"],
            )
        except services.InvitationRefused as refusal:
            return render(request, "teams/join.html", context | {"refusal": refusal})
        except ValidationError as error:
            form.add_error(None, error)
        else:
            login(request, membership.user, backend="django.contrib.auth.backends.ModelBackend")
            return _joined(request, invitation)
    return render(request, "teams/join.html", context | {"form": form, "has_account": has_account})


def _joined(request, invitation):
    messages.success(
        request,
        _("Welcome to the team of %(team)s. You sign in with %(username)s.")
        % {"team": invitation.team.name, "username": request.user.get_username()},
    )
    return redirect("teams:detail", pk=invitation.team_id)
