"""A user's own API tokens: made with a name, shown once, listed by their first characters, revoked."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from portal.models import ApiToken
from portal.services.api_tokens import api_token_create, api_token_revoke


class ApiTokenForm(forms.Form):
    name = forms.CharField(
        label=_("What is it for?"), max_length=100,
        help_text=_("For example “Monitoring dashboard”, so you know which token to revoke."),
    )  # fmt: skip


@never_cache  # the answer to a POST holds the token itself
@require_http_methods(["GET", "POST"])
@login_required
def api_tokens(request: HttpRequest) -> HttpResponse:
    form, token = ApiTokenForm(request.POST or None), ""
    if form.is_valid():
        try:
            _api_token, token = api_token_create(user=request.user, name=form.cleaned_data["name"])
            form = ApiTokenForm()
        except ValidationError as exc:
            form.add_error(None, exc)
    context = {"form": form, "token": token, "tokens": ApiToken.objects.filter(user=request.user)[:100]}
    return render(request, "portal/web/api_tokens.html", context, status=400 if form.errors else 200)


@require_POST
@login_required
def api_token_revoke_view(request: HttpRequest, pk: int) -> HttpResponse:
    api_token = get_object_or_404(ApiToken.objects.filter(user=request.user), pk=pk)
    api_token_revoke(api_token=api_token, by=request.user)
    message = _("The token “%(name)s” is revoked: calls with it are refused.") % {"name": api_token.name}
    messages.success(request, message)
    return redirect("web:api_tokens")
