from django import forms
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse_lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from . import audit, selectors, services
from .forms import AccountPasswordChangeForm, LoginForm
from .models import AccessChangeRequest
from .policy import Perm, require_any


class LoginView(auth_views.LoginView):
    form_class = LoginForm
    template_name = "registration/login.html"
    redirect_authenticated_user = True


class PasswordChangeView(auth_views.PasswordChangeView):
    form_class = AccountPasswordChangeForm
    template_name = "registration/password_change_form.html"
    success_url = reverse_lazy("accounts:password_change_done")

    def form_valid(self, form):
        # Recorded as the holder's own change (accounts.audit).
        with audit.recording(actor=self.request.user):
            return super().form_valid(form)


# --- proposed changes of access: leaders decide, administrators propose -------------------

# Who sees the requests: the leaders who decide, the administrators who propose.
VIEWERS = (Perm.APPROVE_ACCESS, Perm.ADMINISTER)


class DecisionForm(forms.Form):
    note = forms.CharField(
        label=gettext_lazy("Note (required to reject)"), required=False, max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2, "class": "form-control"}))


@require_any(*VIEWERS)
def access_request_list(request):
    """The proposed changes of access, the waiting ones first."""
    show = request.GET.get("show")
    requests = selectors.access_request_list(pending_only=show != "all")
    page = Paginator(requests, 30).get_page(request.GET.get("page"))
    return render(request, "accounts/access_request_list.html", {
        "page_obj": page, "show": show,
        "awaiting": set(selectors.access_requests_awaiting(request.user)
                        .values_list("pk", flat=True)),
    })


@require_any(*VIEWERS)
def access_request_detail(request, pk: int):
    """One request: the account's access now and as proposed, the reason, the
    account's recent events; approve or reject (a leader), withdraw (an
    administrator)."""
    access_request = get_object_or_404(
        AccessChangeRequest.objects.select_related("target", "proposed_by", "decided_by"),
        pk=pk)
    return render(request, "accounts/access_request_detail.html", {
        "req": access_request,
        "target": access_request.target,
        "target_zones": access_request.target.zones.order_by("code"),
        "events": selectors.account_events(access_request.target, limit=10),
        "may_decide": services.may_decide(request.user, access_request),
        "may_withdraw": services.may_withdraw(request.user, access_request),
        "form": DecisionForm(),
    })


@require_any(*VIEWERS)
@require_POST
def access_request_decide(request, pk: int):
    """Approve, reject or withdraw (``decision``); the services check who may."""
    access_request = get_object_or_404(AccessChangeRequest, pk=pk)
    form = DecisionForm(request.POST)
    note = form.cleaned_data["note"] if form.is_valid() else ""
    decision = request.POST.get("decision")
    actions = {
        "approve": (services.access_request_approve, _("The request has been approved: the "
                                                        "change applies now.")),
        "reject": (services.access_request_reject, _("The request has been rejected: nothing "
                                                      "of it applies.")),
        "withdraw": (services.access_request_withdraw, _("The request has been withdrawn.")),
    }
    if decision not in actions:
        messages.error(request, _("Choose to approve, reject or withdraw the request."))
        return redirect(access_request.get_absolute_url())
    action, done = actions[decision]
    try:
        action(actor=request.user, request=access_request, note=note)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(request, done)
    return redirect(access_request.get_absolute_url())
