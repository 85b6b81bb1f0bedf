"""What every app's admin shares: objects resolved through ``visible_to``, and writes that are audited.

The admin is one more page of the portal: it sees what the signed-in staff member may see, and it writes
through the same audited saves as the services.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.contrib import admin
from django.db import models

from ownership.shared.audit import delete_audited, save_audited

# The mixins are used with admin.ModelAdmin (and inlines); type-checkers see them as one.
if TYPE_CHECKING:
    _AdminBase = admin.ModelAdmin[Any]
else:
    _AdminBase = object


class VisibleToAdminMixin(_AdminBase):
    """Resolve the admin's objects through the model's ``visible_to`` queryset, like every other page."""

    def get_queryset(self, request):
        queryset: Any = super().get_queryset(request)  # every portal model's queryset has visible_to
        return queryset.visible_to(request.user)


class ReadOnlyAdminMixin(_AdminBase):
    """Records that only services write (evidence, custody, bundles, the audit log): the admin shows them."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class AuditedWritesAdminMixin(_AdminBase):
    """The admin writes like every other page: validated, saved and audited in one transaction.

    Rows with a rule of their own (a matter's reference, a document's file) override ``save_model`` to call
    their service; the rest go through ``save_audited`` and ``delete_audited``. Inline rows too.
    """

    def save_model(self, request, obj, form, change):
        save_audited(obj, by=request.user, fields=form.changed_data)

    def delete_model(self, request, obj):
        delete_audited(obj, by=request.user)

    def delete_queryset(self, request, queryset):
        for obj in queryset:
            delete_audited(obj, by=request.user)

    def save_formset(self, request, form, formset, change):
        formset.save(commit=False)
        for obj in formset.deleted_objects:
            delete_audited(obj, by=request.user)
        for inline_form in formset.forms:
            if inline_form in formset.deleted_forms or not inline_form.has_changed():
                continue
            save_audited(inline_form.instance, by=request.user, fields=inline_form.changed_data)
        formset.save_m2m()


def adopt(obj: models.Model, saved: models.Model) -> None:
    """Make the admin's unsaved ``obj`` the row a service created (``saved``), so the admin goes on with it."""
    for field in saved._meta.concrete_fields:
        setattr(obj, field.attname, getattr(saved, field.attname))
    obj._state.adding = False
