"""The personal API tokens page: create a named token (its key shown once), list and revoke."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from events.audit import Actor

from . import selectors, services
from .forms import ApiTokenForm
from .models import ApiToken


@login_required
@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def token_list(request):
    """The response to a created token shows its key; nothing can show it again."""
    form = ApiTokenForm(request.POST or None)
    new_token = new_key = None
    if form.is_bound and form.is_valid():
        new_token, new_key = services.create_api_token(
            actor=Actor.for_request(request), user=request.user, name=form.cleaned_data["name"]
        )
        form = ApiTokenForm()
    return render(
        request,
        "teams/tokens.html",
        {
            "tokens": selectors.api_tokens(request.user),
            "form": form,
            "new_token": new_token,
            "new_key": new_key,
            "api_url": request.build_absolute_uri(reverse("api:event-list")),
        },
    )


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def token_revoke(request, pk):
    """GET asks for confirmation; the POST revokes. Another account's token is a 404."""
    token = get_object_or_404(ApiToken, pk=pk, user=request.user)
    if request.method == "POST":
        services.revoke_api_token(actor=Actor.for_request(request), token=token)
        messages.success(
            request,
            _("The token “%(name)s” is revoked; its key no longer works.") % {"name": token.name},
        )
        return redirect("teams:tokens")
    return render(request, "teams/token_revoke.html", {"token": token})
