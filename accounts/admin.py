from django import forms
from django.contrib import admin, messages
from django.contrib.admin.options import IS_POPUP_VAR
from django.contrib.admin.utils import unquote
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.forms import AdminPasswordChangeForm, AdminUserCreationForm, UserChangeForm
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape, format_html, format_html_join
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from . import selectors, services
from .models import User
from .policy import Perm, PolicyAdminMixin

REASON_HELP = _("Needed when the change gives access to personal data, the right to approve "
                "it or the superuser flag: a Party Committee leader reads it before approving.")


def _reason_field(label, help_text=REASON_HELP):
    return forms.CharField(label=label, required=False, max_length=2000, help_text=help_text,
                           widget=forms.Textarea(attrs={"rows": 2, "cols": 60}))


class AccountChangeForm(UserChangeForm):
    """The admin's account form: the rules of ``services.account_update`` are
    checked here too, so a refusal is shown next to the fields."""

    reason = _reason_field(_("Reason for the change of access"))
    actor = None  # set per request by UserAdmin.get_form

    def clean(self):
        cleaned = super().clean()
        if self.errors:
            return cleaned
        changes = {name: cleaned[name] for name in self.changed_data
                   if name in services.EDITABLE}
        try:
            services.account_update_check(actor=self.actor, user=self.instance,
                                          reason=cleaned.get("reason", ""), **changes)
        except ValidationError as error:
            self.add_error(None, error)
        return cleaned


class AccountCreationForm(AdminUserCreationForm):
    reason = _reason_field(_("Reason for the access"))
    actor = None

    def _post_clean(self):
        super()._post_clean()
        if self.errors:
            return
        try:
            services.account_create_check(actor=self.actor, user=self.instance,
                                          reason=self.cleaned_data.get("reason", ""))
        except ValidationError as error:
            self.add_error(None, error)


class AccountPasswordForm(AdminPasswordChangeForm):
    reason = _reason_field(_("Reason"), _(
        "For an account with access to personal data: the Party Committee leader who approves "
        "the new password reads it."))


@admin.register(User)
class UserAdmin(PolicyAdminMixin, DjangoUserAdmin):
    """Accounts are managed by administrators only (Perm.ADMINISTER), and
    every write goes through accounts.services: nobody changes their own
    access, and what would give access to personal data waits for a Party
    Committee leader's approval (separation of duties)."""

    view_perm = change_perm = Perm.ADMINISTER
    form = AccountChangeForm
    add_form = AccountCreationForm
    change_password_form = AccountPasswordForm
    change_user_password_template = "admin/accounts/user/change_password.html"
    list_display = ("username", "full_name", "organization", "role", "is_active", "last_login")
    list_filter = ("organization", "role", "is_active", "is_staff", "zones")
    search_fields = ("username", "full_name", "email")
    ordering = ("username",)
    filter_horizontal = ("zones", "groups", "user_permissions")
    fieldsets = (
        (None, {"fields": ("username", "password")}),
        (_("Person"), {"fields": ("full_name", "title", "email", "phone")}),
        (_("Organization and role"),
         {"fields": ("organization", "role", "all_zones", "zones", "reason")}),
        (
            _("Administration"),
            {"fields": ("is_active", "is_staff", "is_superuser", "groups", "user_permissions")},
        ),
        (_("Dates"), {"fields": ("last_login", "date_joined")}),
        (_("History of the account"), {"fields": ("account_history",)}),
    )
    add_fieldsets = (
        (
            None,
            {
                "classes": ("wide",),
                "fields": ("username", "full_name", "organization", "role", "all_zones", "zones",
                           "reason", "password1", "password2"),
            },
        ),
    )
    readonly_fields = ("last_login", "date_joined", "pending_requests", "account_history")
    actions = ["reset_two_step"]

    # --- one's own account: its access is read-only ---------------------------------------

    def _own(self, request, obj) -> bool:
        return obj is not None and obj.pk == request.user.pk

    def get_readonly_fields(self, request, obj=None):
        fields = tuple(super().get_readonly_fields(request, obj))
        if self._own(request, obj):
            fields += services.OWN_LOCKED
        return fields

    def get_fieldsets(self, request, obj=None):
        fieldsets = list(super().get_fieldsets(request, obj))
        if obj is None:
            return fieldsets
        if self._own(request, obj):
            fieldsets = [
                (name, {**options, "fields": tuple(f for f in options["fields"] if f != "reason"),
                        "description": gettext(
                            "Your own organization, role, zones and administrator rights are "
                            "changed by another administrator.")})
                if "organization" in options["fields"] else (name, options)
                for name, options in fieldsets]
        if selectors.access_request_list(pending_only=True).filter(target=obj).exists():
            fieldsets.insert(0, (_("Waiting for approval"), {"fields": ("pending_requests",)}))
        return fieldsets

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        form.actor = request.user
        return form

    # --- writes through the services ------------------------------------------------------

    def save_model(self, request, obj, form, change):
        data = form.cleaned_data
        if not change:
            password = data.get("password1") if data.get("set_usable_password", True) else None
            user = services.account_create(
                actor=request.user, username=data["username"], password=password,
                reason=data.get("reason", ""), zones=data.get("zones") or (),
                **{name: data[name] for name in ("full_name", "organization", "role",
                                                 "all_zones") if name in data})
            obj.pk = user.pk
            obj._state.adding = False
            obj._state.db = user._state.db
        else:
            changes = {name: data[name] for name in form.changed_data
                       if name in services.EDITABLE}
            services.account_update(actor=request.user, user=obj,
                                    reason=data.get("reason", ""), **changes)
        pending = selectors.access_request_list(pending_only=True).filter(target_id=obj.pk)
        for access_request in pending:
            self._say_pending(request, access_request)

    def save_related(self, request, form, formsets, change):
        # The services have set the zones, groups and permissions.
        for formset in formsets:
            self.save_formset(request, form, formset, change=change)

    def _say_pending(self, request, access_request):
        messages.warning(request, format_html(
            '{} <a href="{}">{}</a>',
            gettext("Waiting for a Party Committee leader's approval: %(summary)s. Until then "
                    "the account keeps its current access.") % {
                "summary": access_request.summary},
            access_request.get_absolute_url(),
            gettext("Request #%(pk)s") % {"pk": access_request.pk}))

    @admin.action(description=_("Reset two-step sign-in (lost phone)"))
    def reset_two_step(self, request, queryset):
        done = 0
        for user in queryset:
            try:
                access_request = services.account_two_step_reset(actor=request.user, user=user)
            except ValidationError as error:
                messages.error(request, f"{user.username}: {' '.join(error.messages)}")
                continue
            if access_request is None:
                done += 1
            else:
                self._say_pending(request, access_request)
        if done:
            self.message_user(request, ngettext(
                "Two-step sign-in reset for %(count)d account: it sets it up again at its next "
                "sign-in.",
                "Two-step sign-in reset for %(count)d accounts: they set it up again at their "
                "next sign-in.", done) % {"count": done}, messages.SUCCESS)

    def user_change_password(self, request, id, form_url=""):
        """Set an account's password through ``services.account_password_set``:
        for someone else's account with access to personal data it waits for
        a Party Committee leader's approval."""
        user = self.get_object(request, unquote(id))
        if not self.has_change_permission(request, user):
            raise PermissionDenied
        if user is None:
            raise Http404(_("%(name)s object with primary key %(key)r does not exist.")
                          % {"name": self.opts.verbose_name, "key": escape(id)})
        form = self.change_password_form(user, request.POST or None)
        if request.method == "POST" and form.is_valid():
            data = form.cleaned_data
            if not (data["set_usable_password"] or "unset-password" in request.POST):
                messages.error(request, gettext("Conflicting form data submitted. Please try "
                                                "again."))
                return HttpResponseRedirect(request.get_full_path())
            password = data["password1"] if data["set_usable_password"] else None
            try:
                access_request = services.account_password_set(
                    actor=request.user, user=user, password=password,
                    reason=data.get("reason", ""))
            except ValidationError as error:
                form.add_error(None, error)
            else:
                if access_request is not None:
                    self._say_pending(request, access_request)
                else:
                    self.log_change(request, user, self.construct_change_message(
                        request, form, None))
                    messages.success(request, gettext("Password changed successfully.")
                                     if password is not None else
                                     gettext("Password-based authentication was disabled."))
                    update_session_auth_hash(request, user)
                return HttpResponseRedirect(reverse(
                    f"{self.admin_site.name}:accounts_user_change", args=(user.pk,)))
        fieldsets = [(None, {"fields": list(form.base_fields)})]
        title = (_("Change password: %s") if user.has_usable_password()
                 else _("Set password: %s"))
        context = {
            "title": title % escape(user.get_username()),
            "adminForm": admin.helpers.AdminForm(form, fieldsets, {}),
            "form_url": form_url, "form": form,
            "is_popup": IS_POPUP_VAR in request.POST or IS_POPUP_VAR in request.GET,
            "is_popup_var": IS_POPUP_VAR, "add": True, "change": False,
            "has_delete_permission": False, "has_change_permission": True,
            "has_absolute_url": False, "opts": self.opts, "original": user,
            "save_as": False, "show_save": True,
            "needs_approval": services.credentials_need_approval(actor=request.user, user=user),
            **self.admin_site.each_context(request),
        }
        request.current_app = self.admin_site.name
        return TemplateResponse(request, self.change_user_password_template
                                or "admin/auth/user/change_password.html", context)

    # --- what the change page shows -------------------------------------------------------

    @admin.display(description=_("Proposed changes"))
    def pending_requests(self, obj):
        pending = selectors.access_request_list(pending_only=True).filter(target=obj)
        return format_html_join(
            "", '<p><a href="{}">{}</a>: {} ({})</p>',
            ((r.get_absolute_url(), gettext("Request #%(pk)s") % {"pk": r.pk}, r.summary,
              gettext("waiting for a Party Committee leader's approval since %(when)s")
              % {"when": timezone.localtime(r.created_at).strftime("%d/%m/%Y %H:%M")})
             for r in pending))

    @admin.display(description=_("Changes"))
    def account_history(self, obj):
        if obj is None or obj.pk is None:
            return "—"
        events = selectors.account_events(obj, limit=50)
        if not events:
            return gettext("No change recorded yet.")
        rows = format_html_join(
            "", "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
            ((timezone.localtime(e.at).strftime("%d/%m/%Y %H:%M"), e.get_kind_display(),
              e.actor_label, e.description) for e in events))
        return format_html(
            '<table data-testid="account-history"><thead><tr><th>{}</th><th>{}</th><th>{}</th>'
            "<th>{}</th></tr></thead><tbody>{}</tbody></table>",
            gettext("At"), gettext("Event"), gettext("By"), gettext("Details"), rows)

    def has_delete_permission(self, request, obj=None):
        # Accounts are deactivated, never deleted: history points at them.
        return False


# Devices hold the sign-in secrets: no admin page shows or edits them. An
# administrator resets an account's two-step sign-in with the action above.
for _model in (TOTPDevice, StaticDevice):
    if admin.site.is_registered(_model):
        admin.site.unregister(_model)
