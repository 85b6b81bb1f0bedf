from __future__ import annotations

import json

from django import forms
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from evidence.models import Listing, Matter, TestPurchase
from evidence.sellers.urls import normalise_url
from ownership.models import IPRight, RightsHolder
from ownership.shared.choices import Platform
from ownership.shared.files.allowed import accepted_extensions, policy_summary
from portal.models import Bundle, ListingOutcome
from portal.results.kpis import Period, add_months


class MatterFilterForm(forms.Form):
    """The staff work queue's filters. Every choice of objects comes from the user's visible querysets."""

    q = forms.CharField(label=_("Reference or title"), required=False)
    rights_holder = forms.ModelChoiceField(
        label=_("Client"), queryset=RightsHolder.objects.none(), required=False, empty_label=_("All clients")
    )
    status = forms.ChoiceField(label=_("Status"), required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["rights_holder"].queryset = RightsHolder.objects.visible_to(user)
        self.fields["status"].choices = [("", _("Any status")), *Matter.Status.choices]

    def filter(self, matters: QuerySet[Matter]) -> QuerySet[Matter]:
        """The matters that match the valid filters (the matter's own: text, client, status); an invalid form
        filters nothing."""
        if not self.is_valid():
            return matters
        data = self.cleaned_data
        if data["q"]:
            matters = matters.filter(Q(reference__icontains=data["q"]) | Q(title__icontains=data["q"]))
        if data["rights_holder"]:
            matters = matters.filter(rights_holder=data["rights_holder"])
        if data["status"]:
            matters = matters.filter(status=data["status"])
        return matters


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """A file field that takes several files from one ``<input type=file multiple>``."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        if isinstance(data, list | tuple) and data:
            return [super(MultipleFileField, self).clean(item, initial) for item in data]
        # No file at all arrives as an empty list: the single-file check names the missing field.
        return [super().clean(data or None, initial)]


STORE_DUPLICATE_LABEL = _("Store a file identical to an existing exhibit anyway")


class QueueFilterForm(MatterFilterForm):
    """The work queue's filters: the matters' own, and which lists to show: one kind of work, one platform."""

    platform = forms.ChoiceField(label=_("Platform"), required=False)
    kind = forms.ChoiceField(label=_("Kind of work"), required=False)

    def __init__(self, *args, kinds: list[tuple[str, str]], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["platform"].choices = [("", _("Every platform")), *Platform.choices]
        self.fields["kind"].choices = [("", _("Every kind")), *kinds]

    def choice(self, name: str) -> str:
        return self.cleaned_data.get(name, "") if self.is_valid() else ""


class EvidenceUploadForm(forms.Form):
    """Files with their kind and description. With JavaScript each file is sent alone, with its own kind."""

    files = MultipleFileField(label=_("Files"))
    kind = forms.ChoiceField(label=_("Kind of evidence"))
    description = forms.CharField(
        label=_("Description"),
        max_length=500,
        required=False,
        help_text=_("What the file shows, e.g. “Listing page as captured on 2 March”."),
    )

    purchase = forms.TypedChoiceField(label=_("Belongs to"), required=False, coerce=int, empty_value=None)
    store_duplicate = forms.BooleanField(label=STORE_DUPLICATE_LABEL, required=False)

    def __init__(self, *args, kind_choices: list[tuple[str, str]], purchases=None, kind_hints=None, **kwargs):
        """``purchases`` offers the "Belongs to" choice; the endpoint checks a chosen purchase against the matter.
        The kind has no default: the uploader chooses it, or confirms the guess the page makes from the file."""
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [("", _("Choose the kind…")), *kind_choices]
        # How the page's script guesses each file's kind (evidence.exhibit_kinds), as a data attribute.
        self.kind_hints_json = json.dumps(kind_hints or {}, ensure_ascii=False)
        if purchases is None:
            del self.fields["purchase"]
        else:
            orders = [(p.pk, _("Test purchase, order %s") % p.order_number) for p in purchases]
            self.fields["purchase"].choices = [("", _("The matter as a whole")), *orders]
        self.fields["files"].help_text = policy_summary()  # read now: the upload limit is a setting
        self.fields["files"].widget.attrs.update({"accept": ",".join(accepted_extensions())})


def overrule_field() -> forms.CharField:
    """The reason to compile although the compile gate finds the matter not ready (bundle and campaign forms)."""
    return forms.CharField(
        label=_("Compile although not ready, because"), required=False, widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Only when the matter lacks proof the platform asks for: your reason is recorded and printed "
                    "in the bundle's manifest with what was missing."),
    )  # fmt: skip


class BundleRequestForm(forms.Form):
    """What a staff member chooses when compiling a bundle. Choices come from the matter and visible rights."""

    platform = forms.ChoiceField(label=_("Platform"))
    rights = forms.ModelMultipleChoiceField(
        label=_("Rights asserted"), queryset=IPRight.objects.none(), widget=forms.CheckboxSelectMultiple
    )

    listings = forms.CharField(
        label=_("Listings"),
        widget=forms.Textarea(attrs={"rows": 3, "spellcheck": "false"}),
        required=False,
        help_text=_(
            "Their links, one per line; empty: every listing of the matter on the chosen platform. To choose by "
            "filter, build complaints from the listings page."
        ),
    )
    purchases = forms.ModelMultipleChoiceField(
        label=_("Test purchases"),
        queryset=TestPurchase.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text=_("None ticked: every test purchase of the matter on the chosen platform."),
    )
    overrule = overrule_field()

    def __init__(self, *args, matter: Matter, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["platform"].choices = [(code, Platform(code).label) for code in matter.platforms]
        rights = IPRight.objects.visible_to(user).filter(rights_holder=matter.rights_holder)
        self.fields["rights"].queryset = rights
        self.fields["rights"].initial = list(rights)
        self.matter, self.user = matter, user
        self.fields["purchases"].queryset = (
            TestPurchase.objects.visible_to(user).filter(matter=matter).select_related("listing").order_by("pk")
        )
        self.fields["purchases"].label_from_instance = lambda purchase: (
            f"{purchase.listing.get_platform_display()}: order {purchase.order_number}"
        )

    def clean_listings(self) -> list[Listing]:
        return matter_listings_named(self.matter, self.user, self.cleaned_data["listings"].split())

    def clean(self) -> dict:
        cleaned = super().clean()
        platform = cleaned.get("platform")
        labels = {
            "listings": lambda listing: f"{listing.get_platform_display()}: {listing.title or listing.url}",
            "purchases": self.fields["purchases"].label_from_instance,
        }
        for field in ("listings", "purchases"):
            chosen = list(cleaned.get(field) or [])
            wrong = [
                item for item in chosen if (item.platform if field == "listings" else item.listing.platform) != platform
            ]
            if platform and wrong:
                self.add_error(
                    field,
                    _("%(item)s is not on %(platform)s: choose only what belongs to the chosen platform.")
                    % {"item": labels[field](wrong[0]), "platform": Platform(platform).label},
                )
            cleaned[field] = chosen or None  # None: all of the matter's on the platform
        return cleaned


def matter_listings_named(matter: Matter, user, links: list[str]) -> list[Listing]:
    """The matter's listings at ``links`` (in any spelling of their URL), with the matter's facts; a link the
    matter does not hold is refused, naming it."""
    keys = {normalise_url(link): link for link in links}
    found = {
        listing.url_key: listing
        for listing in Listing.objects.visible_to(user).in_matter(matter).filter(url_key__in=keys).order_by("pk")
    }
    unknown = [link for key, link in keys.items() if key not in found]
    if unknown:
        raise forms.ValidationError(
            _("%(matter)s holds no listing at %(links)s: import it first, or check the link.")
            % {"matter": matter.reference, "links": ", ".join(unknown[:5])}
        )
    return list(found.values())


class DateInput(forms.DateInput):
    input_type = "date"


class SubmissionForm(forms.Form):
    """Staff record that a ready bundle of the matter was filed with its platform."""

    bundle = forms.ModelChoiceField(label=_("Bundle filed"), queryset=Bundle.objects.none())
    platform_reference = forms.CharField(label=_("Complaint reference"), max_length=100)
    submitted_on = forms.DateField(label=_("Filed on"), widget=DateInput)
    notes = forms.CharField(label=_("Notes"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, matter: Matter, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["bundle"].queryset = (
            Bundle.objects.visible_to(user).filter(matter=matter, status=Bundle.Status.READY).select_related("matter")
        )


class ComplaintAnswerForm(forms.Form):
    """What the platform did about the ticked items of a filed complaint (the ticks are the page's ``items``
    checkboxes), or about every item still awaiting its answer."""

    every_pending = forms.BooleanField(label=_("Every item still awaiting the platform's answer"), required=False)

    outcome = forms.ChoiceField(
        label=_("Outcome"),
        choices=[c for c in ListingOutcome.Outcome.choices if c[0] != ListingOutcome.Outcome.PENDING],
    )
    reason = forms.CharField(label=_("Reason given"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    counter_notice_received_on = forms.DateField(
        label=_("Counter-notice received on"), required=False, widget=DateInput
    )
    answer_by = forms.DateField(label=_("Answer by"), required=False, widget=DateInput)


class TestPurchaseForm(forms.Form):
    """A test purchase as staff record it on the matter page: order, delivery and, once done, the examination."""

    __test__ = False  # not a pytest test class

    listing = forms.CharField(
        label=_("Listing bought from"), max_length=1000, help_text=_("Its link, as the matter's listings hold it.")
    )
    order_number = forms.CharField(label=_("Order number"), max_length=100)
    order_date = forms.DateField(label=_("Order date"), widget=forms.DateInput(attrs={"type": "date"}))
    amount = forms.DecimalField(label=_("Amount paid"), max_digits=12, decimal_places=2, min_value=0)
    currency = forms.CharField(label=_("Currency"), max_length=3, min_length=3, help_text=_("e.g. USD, CNY, GBP"))
    purchaser_alias = forms.CharField(label=_("Bought under the name"), max_length=200)
    delivered_on = forms.DateField(
        label=_("Delivered on"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    received_on = forms.DateField(
        label=_("Received on"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    rights = forms.ModelMultipleChoiceField(
        label=_("Rights infringed"),
        queryset=IPRight.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    result = forms.ChoiceField(label=_("Result of the examination"), required=False)
    examination_method = forms.CharField(
        label=_("Verification method"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    examination_reasons = forms.CharField(label=_("Reasons"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    examiner = forms.CharField(label=_("Examined by"), max_length=200, required=False)
    examined_on = forms.DateField(
        label=_("Examined on"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, *args, matter: Matter, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.matter, self.user = matter, user
        self.fields["rights"].queryset = IPRight.objects.visible_to(user).filter(rights_holder=matter.rights_holder)
        self.fields["result"].choices = TestPurchase.Result.choices

    def clean_currency(self) -> str:
        return self.cleaned_data["currency"].upper()

    def clean_listing(self) -> Listing:
        return matter_listings_named(self.matter, self.user, [self.cleaned_data["listing"].strip()])[0]

    EXAMINATION_FIELDS = ("result", "examination_method", "examination_reasons", "examiner", "examined_on")

    def purchase_fields(self) -> dict:
        return {k: v for k, v in self.cleaned_data.items() if k not in self.EXAMINATION_FIELDS}

    def examination_fields(self) -> dict:
        data = self.cleaned_data
        return {"result": data["result"], "method": data["examination_method"], "reasons": data["examination_reasons"],
                "examiner": data["examiner"], "examined_on": data["examined_on"]}  # fmt: skip


class CampaignForm(forms.Form):
    rights = forms.ModelMultipleChoiceField(
        label=_("Rights the complaints rest on"), queryset=IPRight.objects.none(),
        widget=forms.CheckboxSelectMultiple,
    )  # fmt: skip
    infringement_appears_in = forms.MultipleChoiceField(
        label=_("Where the infringement appears"), choices=Listing.Appearance.choices, required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Amazon asks for it for every ASIN: recorded for the selected listings that do not say yet."),
    )  # fmt: skip
    overrule = overrule_field()

    def __init__(self, *args, matter: Matter, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["rights"].queryset = IPRight.objects.filter(rights_holder_id=matter.rights_holder_id)


MONTH_INPUT = forms.DateInput(attrs={"type": "month"}, format="%Y-%m")
LONGEST_RESULTS_PERIOD = 36  # months a results page covers: three years of monthly columns stay readable
DEFAULT_RESULTS_PERIOD = 12


class ResultsFilterForm(forms.Form):
    """Which figures the results page shows: a client, a matter, a platform, a run of whole months."""

    rights_holder = forms.ModelChoiceField(
        label=_("Client"), queryset=RightsHolder.objects.none(), required=False, empty_label=_("All clients")
    )
    matter = forms.CharField(label=_("Matter reference"), required=False)
    platform = forms.ChoiceField(label=_("Platform"), required=False)
    start = forms.DateField(label=_("From month"), required=False, input_formats=["%Y-%m"], widget=MONTH_INPUT)
    end = forms.DateField(label=_("To month"), required=False, input_formats=["%Y-%m"], widget=MONTH_INPUT)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.matters = Matter.objects.visible_to(user)
        self.fields["rights_holder"].queryset = RightsHolder.objects.visible_to(user).order_by("name")
        self.fields["platform"].choices = [("", _("Every platform")), *Platform.choices]

    def clean_matter(self) -> Matter | None:
        reference = self.cleaned_data["matter"].strip()
        if not reference:
            return None
        matter = self.matters.filter(reference__iexact=reference).first()
        if matter is None:
            raise forms.ValidationError(_("No matter of yours has the reference “%(reference)s”."),
                                        params={"reference": reference})  # fmt: skip
        return matter

    def clean(self) -> dict:
        data = super().clean()
        start, end = data.get("start"), data.get("end")
        if start and end:
            months = (end.year - start.year) * 12 + end.month - start.month + 1
            if months < 1:
                self.add_error("end", _("The last month comes after the first."))
            elif months > LONGEST_RESULTS_PERIOD:
                self.add_error("end", _("Choose at most %(months)s months.") % {"months": LONGEST_RESULTS_PERIOD})
        return data

    def scope(self) -> tuple[QuerySet[Matter], str, Period]:
        """The matters, platform and months of the valid filters (by default the twelve months to this one); an
        invalid form filters nothing."""
        matters, data = self.matters, self.cleaned_data if self.is_valid() else {}
        if data.get("rights_holder"):
            matters = matters.filter(rights_holder=data["rights_holder"])
        if data.get("matter"):
            matters = matters.filter(pk=data["matter"].pk)
        last = data.get("end") or timezone.localdate()
        if data.get("start"):
            period = Period(start=data["start"].replace(day=1), end=add_months(last, 1))
        else:
            period = Period.months_to(last, DEFAULT_RESULTS_PERIOD)
        return matters, data.get("platform", ""), period
