"""A seller's network, for staff: the stores tied to it, why (each shared identifier and its evidence), their
listings, matters and outcomes, a picture of it, and the forms to add identifiers and decide suggested links.
Clients never reach these pages: a network may span several clients."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from evidence.models import Exhibit, Seller, SellerIdentifier, SellerLink
from evidence.networks import seller_identifier_add, seller_link_decide
from evidence.selectors import seller_network
from portal.audit import audit_subject
from portal.downloads import file_download
from portal.models import Dossier, Notice
from portal.network_picture import SIZE, picture
from portal.services.dossiers import dossier_request
from portal.staff_access import staff_required


class IdentifierForm(forms.Form):
    kind = forms.ChoiceField(label=gettext_lazy("Kind"), choices=SellerIdentifier.Kind.choices)
    value = forms.CharField(label=gettext_lazy("Value, as the evidence shows it"), max_length=500)
    exhibit = forms.ModelChoiceField(label=gettext_lazy("Shown by exhibit"), queryset=Exhibit.objects.none())

    def __init__(self, *args, seller: Seller, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["exhibit"].queryset = (
            Exhibit.objects.current().filter(matter__listings__seller=seller).select_related("matter").distinct()
        )


@require_GET
@staff_required
def seller_network_page(request: HttpRequest, pk: int) -> HttpResponse:
    seller = get_object_or_404(Seller.objects.visible_to(request.user), pk=pk)
    network = seller_network(seller)
    nodes, edges = picture(network)
    matters = {link.matter for link in network.listings}
    context = {
        "seller": seller, "network": network, "nodes": nodes, "edges": edges, "size": SIZE,
        "matters": sorted(matters, key=lambda matter: matter.reference),
        "identifier_form": IdentifierForm(seller=seller),
        "dossiers": Dossier.objects.visible_to(request.user).filter(seller__in=network.sellers)[:10],
        "notices": Notice.objects.visible_to(request.user).filter(seller__in=network.sellers)
        .select_related("matter", "seller")[:20],
    }  # fmt: skip
    return render(request, "portal/web/network.html", context)


@require_POST
@staff_required
def seller_identifier_new(request: HttpRequest, pk: int) -> HttpResponse:
    seller = get_object_or_404(Seller.objects.visible_to(request.user), pk=pk)
    form = IdentifierForm(request.POST, seller=seller)
    if form.is_valid():
        try:
            seller_identifier_add(seller=seller, by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("Identifier recorded; the network is up to date."))
    else:
        messages.error(request, " ".join(str(error) for errors in form.errors.values() for error in errors))
    return redirect("web:seller_network", pk=seller.pk)


@require_POST
@staff_required
def dossier_new(request: HttpRequest, pk: int) -> HttpResponse:
    seller = get_object_or_404(Seller.objects.visible_to(request.user), pk=pk)
    dossier_request(seller=seller, by=request.user)
    messages.success(request, _("The dossier is being compiled and signed; it appears below when ready."))
    return redirect(reverse("web:seller_network", args=[seller.pk]) + "#dossiers")


@require_GET
@staff_required
def dossier_download(request: HttpRequest, pk: int) -> HttpResponse:
    dossier = get_object_or_404(Dossier.objects.visible_to(request.user).select_related("seller"), pk=pk)
    if dossier.status != Dossier.Status.READY:
        raise Http404("The dossier is not ready.")
    audit_subject(request, dossier)
    return file_download(request, storage_name=dossier.file.name, original_name=f"dossier-{dossier.pk}.pdf",
                         content_type="application/pdf")  # fmt: skip


@require_POST
@staff_required
def seller_link_decision(request: HttpRequest, pk: int) -> HttpResponse:
    link = get_object_or_404(SellerLink, pk=pk)
    try:
        seller_link_decide(link=link, decision=request.POST.get("decision", ""), by=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect("web:seller_network", pk=link.seller_a_id)
