"""Pages of two-step sign-in (accounts.mfa): the second step, setting it up,
the account's security page, and the changes that first ask for the password
and a current code: a new phone, new backup codes, turning it off."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache

from . import mfa, selectors


class CodeForm(forms.Form):
    code = forms.CharField(
        label=gettext_lazy("Code"), max_length=20,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "autofocus": True,
                                      "autocapitalize": "none", "spellcheck": "false",
                                      "class": "form-control form-control-lg text-center"}),
    )


class IdentityForm(forms.Form):
    """The password and a current code: asked before the authenticator or the
    backup codes change (accounts.mfa.confirm_identity checks them)."""

    password = forms.CharField(
        label=gettext_lazy("Your password"), strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password",
                                          "autofocus": True}),
    )
    code = forms.CharField(
        label=gettext_lazy("Code from your current authenticator app, or a backup code"),
        max_length=20,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "autocapitalize": "none",
                                      "spellcheck": "false"}),
    )


def _next(request) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(target, {request.get_host()},
                                                  require_https=request.is_secure()):
        return target
    return reverse("core:home")


@never_cache
@login_required
def two_step(request):
    """The second step of signing in: a code from the app or a backup code."""
    state = mfa.pending(request)
    if state == mfa.SETUP:
        return redirect(f"{reverse('accounts:two_step_setup')}?next={_next(request)}")
    if state == mfa.DONE:
        return redirect(_next(request))
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        wait = mfa.throttled_for(request.user)
        if wait:
            form.add_error("code", mfa.wait_message(wait))
        elif mfa.verify(request, form.cleaned_data["code"]):
            return redirect(_next(request))
        else:
            form.add_error("code", _("This code is not right. Enter the 6 digits the app "
                                     "shows now, or one of your backup codes."))
    return render(request, "accounts/two_step.html", {"form": form, "next": _next(request)})


@never_cache
@login_required
def two_step_setup(request):
    """Set up (or replace) the authenticator app: scan, then confirm a code.
    Replacing one first asks for the password and a current code."""
    state = mfa.pending(request)
    if state == mfa.VERIFY:
        return redirect(f"{reverse('accounts:two_step')}?next={_next(request)}")
    if not mfa.may_set_up(request):
        return redirect("accounts:two_step_change")
    device = mfa.pending_device(request.user)
    if device is None or request.method == "GET" and "new" in request.GET:
        device = mfa.start_setup(request.user)
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        wait = mfa.throttled_for(request.user, device)
        codes = None if wait else mfa.confirm_setup(request, device, form.cleaned_data["code"])
        if codes is not None:
            return render(request, "accounts/backup_codes.html", {
                "codes": codes, "next": _next(request), "first_time": True})
        form.add_error("code", mfa.wait_message(wait) if wait else _(
            "This code is not right. Check the time on the phone, then enter the 6 digits the "
            "app shows now."))
    return render(request, "accounts/two_step_setup.html", {
        "form": form, "qr": mfa.qr_svg(device), "secret": mfa.secret_text(device),
        "required": state == mfa.SETUP, "next": _next(request),
    })


@never_cache
@login_required
def security(request):
    """The account's sign-in security: two-step status, backup codes left,
    and the history of changes to the account."""
    user = request.user
    return render(request, "accounts/security.html", {
        "enabled": mfa.is_enabled(user), "required": mfa.is_required(user),
        "codes_left": mfa.backup_codes_left(user),
        "events": selectors.account_events(user, limit=30),
    })


def _identity_page(request, form, *, title, intro, button, danger=False):
    return render(request, "accounts/two_step_confirm.html", {
        "form": form, "title": title, "intro": intro, "button": button, "danger": danger})


@never_cache
@login_required
def two_step_change(request):
    """Move two-step sign-in to another phone: after the password and a
    current code, the set-up page for the new authenticator."""
    if not mfa.is_enabled(request.user):
        return redirect("accounts:two_step_setup")
    form = IdentityForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            mfa.confirm_for_change(request, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            return redirect(f"{reverse('accounts:two_step_setup')}?new=1")
    return _identity_page(
        request, form, title=_("Move to another phone"),
        intro=_("To set up a new authenticator app, first confirm it is you: your password "
                "and a code from the app you use now, or one of your backup codes."),
        button=_("Continue"))


@never_cache
@login_required
def two_step_codes(request):
    """Ten new backup codes (the old ones stop working), after the password
    and a current code."""
    if not mfa.is_enabled(request.user):
        return redirect("accounts:security")
    form = IdentityForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            codes = mfa.replace_backup_codes(request, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            return render(request, "accounts/backup_codes.html", {
                "codes": codes, "next": reverse("accounts:security"), "first_time": False})
    return _identity_page(
        request, form, title=_("New backup codes"),
        intro=_("New backup codes replace the old ones, which stop working. First confirm it "
                "is you: your password and a code from your authenticator app, or one of your "
                "backup codes."),
        button=_("Make new backup codes"))


@never_cache
@login_required
def two_step_disable(request):
    """Turn two-step sign-in off, after the password and a current code; not
    where it is required."""
    if not mfa.is_enabled(request.user):
        return redirect("accounts:security")
    if mfa.is_required(request.user):
        messages.error(request, _("Two-step sign-in is required for your account. To move it "
                                  "to another phone, set it up again."))
        return redirect("accounts:security")
    form = IdentityForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            mfa.disable(request, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Two-step sign-in is off."))
            return redirect("accounts:security")
    return _identity_page(
        request, form, title=_("Turn off two-step sign-in"),
        intro=_("Without it, your password alone signs you in. Confirm it is you: your "
                "password and a code from your authenticator app, or one of your backup codes."),
        button=_("Turn off"), danger=True)
