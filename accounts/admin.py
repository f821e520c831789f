from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.utils.translation import gettext_lazy as _

from .models import User
from .policy import Perm, PolicyAdminMixin


@admin.register(User)
class UserAdmin(PolicyAdminMixin, DjangoUserAdmin):
    """Accounts are managed by administrators only (Perm.ADMINISTER)."""

    view_perm = change_perm = Perm.ADMINISTER
    list_display = ("username", "full_name", "organization", "role", "is_active", "last_login")
    list_filter = ("organization", "role", "is_active", "is_staff", "zones")
    search_fields = ("username", "full_name", "email")
    ordering = ("username",)
    filter_horizontal = ("zones", "groups", "user_permissions")
    fieldsets = (
        (None, {"fields": ("username", "password")}),
        (_("Person"), {"fields": ("full_name", "title", "email", "phone")}),
        (_("Organization and role"), {"fields": ("organization", "role", "all_zones", "zones")}),
        (
            _("Administration"),
            {"fields": ("is_active", "is_staff", "is_superuser", "groups", "user_permissions")},
        ),
        (_("Dates"), {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = (
        (
            None,
            {
                "classes": ("wide",),
                "fields": ("username", "full_name", "organization", "role", "all_zones", "zones",
                           "password1", "password2"),
            },
        ),
    )
    readonly_fields = ("last_login", "date_joined")

    def has_delete_permission(self, request, obj=None):
        # Accounts are deactivated, never deleted: history points at them.
        return False
