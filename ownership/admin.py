from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.forms import UserChangeForm, UserCreationForm

from ownership.models import Membership, RightsHolder, User


class VisibleToAdminMixin:
    """Resolve the admin's objects through the model's ``visible_to`` queryset, like every other page."""

    def get_queryset(self, request):
        return super().get_queryset(request).visible_to(request.user)


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 1
    autocomplete_fields = ["user"]
    fields = ["user", "role", "created_at"]
    readonly_fields = ["created_at"]


@admin.register(RightsHolder)
class RightsHolderAdmin(VisibleToAdminMixin, admin.ModelAdmin):
    list_display = ["name", "code", "country", "member_count", "created_at"]
    list_filter = ["country"]
    search_fields = ["name", "name_local", "code", "company_number"]
    inlines = [MembershipInline]

    def get_queryset(self, request):
        from django.db.models import Count

        return super().get_queryset(request).annotate(_member_count=Count("memberships"))

    @admin.display(description="members", ordering="_member_count")
    def member_count(self, obj: RightsHolder) -> int:
        return obj._member_count


@admin.register(Membership)
class MembershipAdmin(VisibleToAdminMixin, admin.ModelAdmin):
    list_display = ["user", "rights_holder", "role", "created_at"]
    list_filter = ["role", "rights_holder"]
    search_fields = ["user__email", "user__full_name", "rights_holder__name"]
    autocomplete_fields = ["user", "rights_holder"]
    list_select_related = ["user", "rights_holder"]


class PortalUserCreationForm(UserCreationForm):
    class Meta:
        model = User
        fields = ("email", "full_name")


class PortalUserChangeForm(UserChangeForm):
    class Meta:
        model = User
        fields = "__all__"


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    form = PortalUserChangeForm
    add_form = PortalUserCreationForm
    ordering = ["email"]
    list_display = ["email", "full_name", "is_staff", "is_active", "last_login"]
    list_filter = ["is_staff", "is_active", "memberships__rights_holder"]
    search_fields = ["email", "full_name"]
    inlines = [MembershipInline]
    fieldsets = [
        (None, {"fields": ["email", "password"]}),
        ("Person", {"fields": ["full_name", "time_zone"]}),
        ("Access", {"fields": ["is_active", "is_staff", "is_superuser", "groups", "user_permissions"]}),
        ("Dates", {"fields": ["last_login", "date_joined"]}),
    ]
    add_fieldsets = [
        (None, {"classes": ["wide"], "fields": ["email", "full_name", "password1", "password2"]}),
    ]
