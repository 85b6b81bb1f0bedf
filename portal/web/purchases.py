"""Staff record a test purchase on the matter page; its files then have a drop zone of their own."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from evidence.models import Matter
from evidence.services import test_purchase_examine, test_purchase_record
from portal.staff_access import staff_required
from portal.web.forms import TestPurchaseForm
from portal.web.submissions import report_errors


@require_POST
@staff_required
def purchase_create(request: HttpRequest, reference: str) -> HttpResponse:
    matter = get_object_or_404(Matter.objects.visible_to(request.user), reference=reference)
    form = TestPurchaseForm(request.POST, matter=matter, user=request.user)
    back = reverse("web:matter_detail", args=[matter.reference]) + "#purchases"
    if not form.is_valid():
        report_errors(request, form, form.errors)
        return redirect(back)
    try:
        with transaction.atomic():
            purchase = test_purchase_record(matter=matter, recorded_by=request.user, **form.purchase_fields())
            if form.cleaned_data["result"]:
                test_purchase_examine(purchase=purchase, actor=request.user, **form.examination_fields())
    except ValidationError as exc:
        report_errors(request, form, exc.message_dict if hasattr(exc, "error_dict") else {"": exc.messages})
        return redirect(back)
    messages.success(
        request,
        _("Test purchase %(order)s recorded. Add its order record, photos and the signed test-buy report below.")
        % {"order": purchase.order_number},
    )
    return redirect(reverse("web:matter_detail", args=[matter.reference]) + f"#purchase-{purchase.pk}")
