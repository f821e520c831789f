"""API tokens in the Django admin: created for an account (the secret shown
once), listed, revoked; never edited or deleted."""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.template.response import TemplateResponse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from simple_history.admin import SimpleHistoryAdmin

from accounts.models import User
from accounts.policy import PolicyAdminMixin

from . import services
from .models import ApiToken


class ApiTokenCreationForm(forms.ModelForm):
    class Meta:
        model = ApiToken
        fields = ["account", "name", "expires_on"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["account"].queryset = User.objects.filter(is_active=True).order_by(
            "username")
        self.fields["account"].label_from_instance = lambda user: f"{user} ({user.username})"
        self.fields["account"].help_text = _(
            "The token acts as this account: its role and zones, nothing more.")


@admin.register(ApiToken)
class ApiTokenAdmin(PolicyAdminMixin, SimpleHistoryAdmin):
    list_display = ["name", "account", "prefix", "created_at", "expires_on", "revoked_at",
                    "last_used_at"]
    list_filter = ["revoked_at"]
    search_fields = ["name", "account__username", "prefix"]
    actions = ["revoke"]
    readonly_fields = ["account", "name", "prefix", "created_by", "created_at", "expires_on",
                       "revoked_at", "last_used_at"]

    def get_form(self, request, obj=None, **kwargs):
        if obj is None:
            kwargs["form"] = ApiTokenCreationForm
        return super().get_form(request, obj, **kwargs)

    def get_readonly_fields(self, request, obj=None):
        return self.readonly_fields if obj is not None else []

    def get_fields(self, request, obj=None):
        if obj is None:
            return ["account", "name", "expires_on"]
        return self.readonly_fields

    def save_model(self, request, obj, form, change):
        if change:
            return
        created = services.token_create(actor=request.user, account=obj.account,
                                        name=obj.name, expires_on=obj.expires_on)
        obj.pk = created.token.pk
        obj.prefix = created.token.prefix
        request.api_token_secret = created.secret

    def response_add(self, request, obj, post_url_continue=None):
        """The secret, on this answer only (never in a message kept in the
        session or a cookie)."""
        secret = getattr(request, "api_token_secret", None)
        if secret is None:
            return super().response_add(request, obj, post_url_continue)
        context = {**self.admin_site.each_context(request), "token": obj, "secret": secret,
                   "account_label": f"{obj.account} ({obj.account.username})",
                   "opts": self.model._meta, "title": _("API token created")}
        return TemplateResponse(request, "admin/api/apitoken/created.html", context)

    @admin.action(description=_("Revoke the selected tokens"))
    def revoke(self, request, queryset):
        for token in queryset:
            services.token_revoke(actor=request.user, token=token)
        count = queryset.count()
        messages.success(request, ngettext("%(count)s token revoked.",
                                           "%(count)s tokens revoked.", count)
                         % {"count": count})
