"""The workspace's address book: a team's contacts and contact lists.

Every member of the team may look; owners and managers add, change and remove. Another team's
contacts do not exist for me (404). Views translate HTTP to the services and back.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_POST

from events.audit import Actor

from ..models import Contact, ContactList
from . import selectors, services
from .forms import AddMembersForm, ContactForm, ContactIdsForm, ContactListForm
from .selectors import ContactFilters

CONTACTS_PER_PAGE = 50
VIEW, CHANGE = "invitations.view_contacts", "invitations.change_contacts"


def team_context(request, team, tab):
    """What every contacts page needs for its head: the team, the switcher, the tabs."""
    return {
        "team": team,
        "teams": list(selectors.teams_of(request.user)),
        "tab": tab,
        "may_change": request.user.has_perm(CHANGE, team),
    }


@login_required
@require_GET
def home(request):
    """The first of my teams' contacts; a page that says so when I am in no team."""
    team = selectors.teams_of(request.user).first()
    if team is None:
        return render(request, "invitations/contacts/no_team.html")
    return redirect("contacts:list", team_id=team.pk)


@login_required
@require_GET
def contact_list(request, team_id):
    team = selectors.team_for_member(request.user, team_id, VIEW)
    filters = ContactFilters.from_query(request.GET)
    page = Paginator(selectors.contacts(team, filters), CONTACTS_PER_PAGE).get_page(
        request.GET.get("page")
    )
    lists = list(selectors.lists_of(team))
    return render(
        request,
        "invitations/contacts/contact_list.html",
        team_context(request, team, "contacts")
        | {
            "page": page,
            "filters": filters,
            "filter_query": urlencode(filters.as_query()),
            "has_contacts": filters.is_set or page.paginator.count > 0,
            "lists": lists,
            "tags": selectors.tags_of(team),
            "countries": selectors.country_choices(team),
            "return_query": urlencode(
                filters.as_query() | ({"page": page.number} if page.number > 1 else {})
            ),
        },
    )


def _back_to_list(team, query=""):
    url = reverse("contacts:list", kwargs={"team_id": team.pk})
    return f"{url}?{query}" if query else url


def _safe_query(request):
    """The list's filters and page, as the form carried them back."""
    filters = ContactFilters.from_query(request.POST or request.GET)
    page = (request.POST or request.GET).get("page", "")
    return urlencode(filters.as_query() | ({"page": page} if page.isdigit() else {}))


@login_required
def contact_create(request, team_id):
    team = selectors.team_for_member(request.user, team_id, CHANGE)
    form = ContactForm(request.POST or None, team=team)
    if request.method == "POST" and form.is_valid():
        try:
            contact = services.contact_create(
                actor=Actor.for_request(request), team=team, **form.service_fields()
            )
        except ValidationError as error:
            form.add_service_error(error)
        else:
            messages.success(request, _("%(name)s added.") % {"name": contact})
            return redirect(_back_to_list(team))
    return render(
        request,
        "invitations/contacts/contact_form.html",
        team_context(request, team, "contacts") | {"form": form, "contact": None},
    )


@login_required
def contact_edit(request, team_id, contact_id):
    team = selectors.team_for_member(request.user, team_id, CHANGE)
    contact = get_object_or_404(Contact, pk=contact_id, team=team)
    form = ContactForm(request.POST or None, instance=contact, team=team)
    if request.method == "POST" and form.is_valid():
        try:
            services.contact_update(
                actor=Actor.for_request(request), contact=contact, **form.service_fields()
            )
        except ValidationError as error:
            form.add_service_error(error)
        else:
            messages.success(request, _("Changes saved."))
            return redirect(_back_to_list(team, _safe_query(request)))
    return render(
        request,
        "invitations/contacts/contact_form.html",
        team_context(request, team, "contacts")
        | {"form": form, "contact": contact, "return_query": _safe_query(request)},
    )


@login_required
def contact_delete(request, team_id, contact_id):
    """GET asks for confirmation and changes nothing; the POST button removes."""
    team = selectors.team_for_member(request.user, team_id, CHANGE)
    contact = get_object_or_404(Contact, pk=contact_id, team=team)
    if request.method == "POST":
        services.contact_delete(actor=Actor.for_request(request), contact=contact)
        messages.success(request, _("%(name)s removed from your contacts.") % {"name": contact})
        return redirect(_back_to_list(team, _safe_query(request)))
    return render(
        request,
        "invitations/contacts/confirm_delete.html",
        team_context(request, team, "contacts")
        | {
            "heading": _("Remove this contact?"),
            "thing": contact,
            "consequence": _(
                "They are taken off every list of your team. Invitations already made for them "
                "stay as they are."
            ),
            "confirm": _("Yes, remove the contact"),
            "back": _back_to_list(team, _safe_query(request)),
            "return_query": _safe_query(request),
        },
    )


@login_required
@require_POST
def add_to_list(request, team_id):
    """Add the ticked contacts of the list page to one of the team's lists."""
    team = selectors.team_for_member(request.user, team_id, CHANGE)
    form = ContactIdsForm(request.POST, team=team, needs_list=True)
    if form.is_valid():
        contact_list = form.cleaned_data["contact_list"]
        added = services.list_add_contacts(
            actor=Actor.for_request(request),
            contact_list=contact_list,
            contacts=form.cleaned_data["contacts"],
        )
        messages.success(
            request,
            ngettext("%(n)d contact added to %(list)s.", "%(n)d contacts added to %(list)s.", added)
            % {"n": added, "list": contact_list.name},
        )
    else:
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
    return redirect(_back_to_list(team, _safe_query(request)))


# --- Lists -------------------------------------------------------------------------------------


@login_required
def lists(request, team_id):
    """The team's lists; managers create one with the form on the page."""
    team = selectors.team_for_member(request.user, team_id, VIEW)
    form = ContactListForm(request.POST or None)
    if request.method == "POST":
        team = selectors.team_for_member(request.user, team_id, CHANGE)
        if form.is_valid():
            try:
                created = services.list_create(
                    actor=Actor.for_request(request), team=team, **form.cleaned_data
                )
            except ValidationError as error:
                form.add_service_error(error)
            else:
                messages.success(request, _("List “%(name)s” created.") % {"name": created.name})
                return redirect("contacts:list_detail", team_id=team.pk, list_id=created.pk)
    return render(
        request,
        "invitations/contacts/lists.html",
        team_context(request, team, "lists") | {"lists": selectors.lists_of(team), "form": form},
    )


def _list_of(team, list_id):
    return get_object_or_404(ContactList, pk=list_id, team=team)


@login_required
def list_detail(request, team_id, list_id):
    """A list's members; managers add members by address and take them off."""
    team = selectors.team_for_member(request.user, team_id, VIEW)
    contact_list = _list_of(team, list_id)
    form = AddMembersForm(request.POST or None)
    if request.method == "POST":
        team = selectors.team_for_member(request.user, team_id, CHANGE)
        if form.is_valid():
            _add_members(request, team, contact_list, form.addresses())
            return redirect("contacts:list_detail", team_id=team.pk, list_id=contact_list.pk)
    members = selectors.contacts(team, ContactFilters(list_id=contact_list.pk))
    page = Paginator(members, CONTACTS_PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "invitations/contacts/list_detail.html",
        team_context(request, team, "lists")
        | {"contact_list": contact_list, "page": page, "form": form},
    )


def _add_members(request, team, contact_list, addresses):
    found = list(Contact.objects.filter(team=team, email__in=addresses))
    added = services.list_add_contacts(
        actor=Actor.for_request(request), contact_list=contact_list, contacts=found
    )
    messages.success(
        request,
        ngettext("%(n)d contact added.", "%(n)d contacts added.", added) % {"n": added},
    )
    unknown = sorted(set(addresses) - {contact.email for contact in found})
    if unknown:
        messages.error(
            request,
            _("Not in your contacts, so not added: %(emails)s. Add them as contacts first.")
            % {"emails": ", ".join(unknown[:20]) + ("…" if len(unknown) > 20 else "")},
        )


@login_required
@require_POST
def list_remove(request, team_id, list_id):
    team = selectors.team_for_member(request.user, team_id, CHANGE)
    contact_list = _list_of(team, list_id)
    form = ContactIdsForm(request.POST, team=team)
    if form.is_valid():
        removed = services.list_remove_contacts(
            actor=Actor.for_request(request),
            contact_list=contact_list,
            contacts=form.cleaned_data["contacts"],
        )
        messages.success(
            request,
            ngettext(
                "%(n)d contact taken off the list; they stay in your contacts.",
                "%(n)d contacts taken off the list; they stay in your contacts.",
                removed,
            )
            % {"n": removed},
        )
    url = reverse("contacts:list_detail", kwargs={"team_id": team.pk, "list_id": list_id})
    page = request.POST.get("page", "")
    return redirect(f"{url}?page={page}" if page.isdigit() else url)


@login_required
def list_edit(request, team_id, list_id):
    team = selectors.team_for_member(request.user, team_id, CHANGE)
    contact_list = _list_of(team, list_id)
    form = ContactListForm(request.POST or None, instance=contact_list)
    if request.method == "POST" and form.is_valid():
        try:
            services.list_update(
                actor=Actor.for_request(request), contact_list=contact_list, **form.cleaned_data
            )
        except ValidationError as error:
            form.add_service_error(error)
        else:
            messages.success(request, _("Changes saved."))
            return redirect("contacts:list_detail", team_id=team.pk, list_id=contact_list.pk)
    return render(
        request,
        "invitations/contacts/list_form.html",
        team_context(request, team, "lists") | {"form": form, "contact_list": contact_list},
    )


@login_required
def list_delete(request, team_id, list_id):
    """GET asks for confirmation and changes nothing; the POST button deletes."""
    team = selectors.team_for_member(request.user, team_id, CHANGE)
    contact_list = _list_of(team, list_id)
    if request.method == "POST":
        services.list_delete(actor=Actor.for_request(request), contact_list=contact_list)
        messages.success(request, _("List “%(name)s” deleted.") % {"name": contact_list.name})
        return redirect("contacts:lists", team_id=team.pk)
    return render(
        request,
        "invitations/contacts/confirm_delete.html",
        team_context(request, team, "lists")
        | {
            "heading": _("Delete this list?"),
            "thing": contact_list.name,
            "consequence": _("The list goes; its %(n)d contacts stay in your team's contacts.")
            % {"n": contact_list.contacts.count()},
            "confirm": _("Yes, delete the list"),
            "back": reverse(
                "contacts:list_detail", kwargs={"team_id": team.pk, "list_id": contact_list.pk}
            ),
        },
    )
