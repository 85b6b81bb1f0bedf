from django import forms
from django.contrib import admin

from evidence.models import Matter
from evidence.services import matter_next_reference
from ownership.admin import VisibleToAdminMixin
from ownership.platforms import Platform


class MatterAdminForm(forms.ModelForm):
    platforms = forms.MultipleChoiceField(
        label="Target platforms", choices=Platform.choices, widget=forms.CheckboxSelectMultiple
    )

    class Meta:
        model = Matter
        fields = ["reference", "rights_holder", "title", "platforms", "status", "responsible", "opened_on"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reference"].required = False
        self.fields["reference"].help_text = "Leave empty for the next one in the rights holder's sequence."

    def clean(self):
        cleaned = super().clean()
        holder, opened_on = cleaned.get("rights_holder"), cleaned.get("opened_on")
        if not cleaned.get("reference") and holder and opened_on:
            self.instance.reference = cleaned["reference"] = matter_next_reference(
                rights_holder=holder, year=opened_on.year
            )
        return cleaned


@admin.register(Matter)
class MatterAdmin(VisibleToAdminMixin, admin.ModelAdmin):
    form = MatterAdminForm
    list_display = ["reference", "title", "rights_holder", "platform_list", "status", "responsible", "opened_on"]
    list_filter = ["status", "rights_holder", "responsible"]
    search_fields = ["reference", "title", "rights_holder__name"]
    list_select_related = ["rights_holder", "responsible"]
    autocomplete_fields = ["rights_holder"]
    date_hierarchy = "opened_on"

    @admin.display(description="platforms")
    def platform_list(self, obj: Matter) -> str:
        return ", ".join(obj.platform_labels)
