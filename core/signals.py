"""Receivers of the signals of the layer below: a change to an account is told
to its holder, and a proposed change of access to the leaders who decide it
(accounts.audit sends ``account_changed`` once the change is committed)."""

from django.conf import settings
from django.dispatch import receiver
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from accounts.models import AccountEvent
from accounts.selectors import access_request_approvers
from accounts.signals import account_changed

from .notifications import email_new, notify

Kind = AccountEvent.Kind
DECIDED = (Kind.REQUEST_APPROVED, Kind.REQUEST_REJECTED, Kind.REQUEST_WITHDRAWN)


@receiver(account_changed, dispatch_uid="core.tell_account_change")
def tell_account_change(sender, event: AccountEvent, **kwargs) -> None:
    """The bell and an e-mail: to the account's holder for every event but
    its creation (nobody reads a new account's bell yet); to each leader who
    may decide a proposed change; to the proposer once another decided."""
    with translation.override(settings.LANGUAGE_CODE):
        _tell_holder(event)
        request = event.request
        if request is None:
            return
        if event.kind == Kind.REQUEST_PROPOSED:
            created = notify(
                access_request_approvers(request), key=f"access-request:{request.pk}",
                title=_("To approve: %(summary)s") % {"summary": request.summary},
                url=request.get_absolute_url(),
                body=_("Proposed by %(who)s. Reason: %(reason)s") % {
                    "who": event.actor_label, "reason": request.reason})
            email_new(created, subject=_("A change of access waits for your approval"),
                      intro=_("An administrator proposed a change that a Party Committee "
                              "leader approves:"))
        elif event.kind in DECIDED and event.actor_id != request.proposed_by_id:
            created = notify(
                [request.proposed_by], key=f"access-request:{request.pk}:{event.kind}",
                title=f"{event.get_kind_display()}: {request.summary}",
                url=request.get_absolute_url(), body=_by(event))
            email_new(created, subject=event.get_kind_display(), intro=_(
                "A change you proposed has been decided:"))


def _by(event: AccountEvent) -> str:
    return _("By %(who)s at %(when)s.") % {
        "who": event.actor_label,
        "when": timezone.localtime(event.at).strftime("%d/%m/%Y %H:%M")}


def _tell_holder(event: AccountEvent) -> None:
    if event.kind == Kind.CREATED:
        return
    description = event.description
    body = f"{description}. {_by(event)}" if description else _by(event)
    created = notify([event.account], key=f"account-event:{event.pk}",
                     title=_("Your account: %(event)s") % {"event": event.get_kind_display()},
                     url=reverse("accounts:security"), body=body, include_inactive=True)
    email_new(created, subject=_("A change to your account"), intro=_(
        "Your account has changed. If you did not expect it, tell the Party Committee at "
        "once:"))
