from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from . import mfa
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
    actions = ["reset_two_step"]

    @admin.action(description=_("Reset two-step sign-in (lost phone)"))
    def reset_two_step(self, request, queryset):
        for user in queryset:
            mfa.reset(user)
        count = queryset.count()
        self.message_user(request, ngettext(
            "Two-step sign-in reset for %(count)d account: it sets it up again at its next "
            "sign-in.",
            "Two-step sign-in reset for %(count)d accounts: they set it up again at their next "
            "sign-in.", count) % {"count": count}, messages.SUCCESS)

    def has_delete_permission(self, request, obj=None):
        # Accounts are deactivated, never deleted: history points at them.
        return False


# Devices hold the sign-in secrets: no admin page shows or edits them. An
# administrator resets an account's two-step sign-in with the action above.
for _model in (TOTPDevice, StaticDevice):
    if admin.site.is_registered(_model):
        admin.site.unregister(_model)
