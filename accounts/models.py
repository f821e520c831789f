from django.conf import settings
from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models, transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from . import audit, grants


class AccountQuerySet(models.QuerySet):
    """``update()`` and ``bulk_create()`` obey the same guard as ``save()``
    (accounts.grants) and record what they change (accounts.audit)."""

    def update(self, **kwargs):
        if set(kwargs).isdisjoint(audit.TRACKED):
            return super().update(**kwargs)
        fields = ("pk", *audit.TRACKED)
        with transaction.atomic(using=self.db):
            pks = list(self.values_list("pk", flat=True))
            rows = self.model._base_manager.using(self.db).filter(pk__in=pks)
            before = {row["pk"]: row for row in rows.values(*fields)}
            count = super().update(**kwargs)
            for row in rows.values(*fields):
                old = before.get(row["pk"])
                grants.check(pk=row["pk"], before=old, after=row)
                audit.note_change(row["pk"], audit.diff(old, row))
        return count

    def bulk_create(self, objs, *args, **kwargs):
        objs = list(objs)
        for obj in objs:
            grants.check(pk=None, before=None, after=grants.state_of(obj))
        return super().bulk_create(objs, *args, **kwargs)


class AccountManager(UserManager.from_queryset(AccountQuerySet)):
    def create_superuser(self, username, email=None, password=None, **extra_fields):
        """``manage.py createsuperuser``: only as the bootstrap, while no
        active Party Committee leader exists (services.bootstrapping); after
        that, the superuser flag is proposed in the administration and
        approved by a leader."""
        from .services import bootstrapping

        with bootstrapping(reason="createsuperuser"):
            return super().create_superuser(username, email, password, **extra_fields)


class User(AbstractUser):
    """An account: one organization and one role, or none for a pure administrator.

    What an account may see and do is decided in ``accounts.policy`` only.
    """

    class Organization(models.TextChoices):
        PARTY_COMMITTEE = "party_committee", _("Party Committee")
        IZ_BOARD = "iz_board", _("Industrial Zones Management Board")

    class Role(models.TextChoices):
        OFFICER = "officer", _("Officer")
        LEADER = "leader", _("Leader")

    full_name = models.CharField(_("full name"), max_length=150, blank=True)
    title = models.CharField(_("job title"), max_length=150, blank=True)
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    organization = models.CharField(
        _("organization"), max_length=20, choices=Organization.choices, blank=True
    )
    role = models.CharField(_("role"), max_length=10, choices=Role.choices, blank=True)
    all_zones = models.BooleanField(
        _("all industrial zones"),
        default=False,
        help_text=_("IZ Board accounts: works on every zone instead of the assigned ones."),
    )
    zones = models.ManyToManyField(
        "enterprises.IndustrialZone",
        verbose_name=_("assigned industrial zones"),
        blank=True,
        related_name="accounts",
    )
    # Raised to end every session of the account (services.account_sessions_end).
    session_epoch = models.PositiveIntegerField(default=0, editable=False)

    objects = AccountManager()

    class Meta:
        verbose_name = _("account")
        verbose_name_plural = _("accounts")
        constraints = [
            models.CheckConstraint(
                condition=(Q(organization="") & Q(role=""))
                | (~Q(organization="") & ~Q(role="")),
                name="accounts_user_organization_and_role_together",
            ),
        ]

    def __str__(self):
        return self.full_name or self.username

    def save(self, *args, **kwargs):
        """Saves, refusing a sensitive power given without a right
        (accounts.grants), and records what changed (accounts.audit)."""
        update_fields = kwargs.get("update_fields")
        watched = update_fields is None or not set(update_fields).isdisjoint(audit.WATCHED)
        if not watched:
            return super().save(*args, **kwargs)
        before = None
        if not self._state.adding and self.pk is not None:
            before = (User._base_manager.using(kwargs.get("using") or self._state.db)
                      .filter(pk=self.pk).values(*audit.TRACKED).first())
        after = {name: getattr(self, name) for name in audit.TRACKED}
        if update_fields is not None and before is not None:
            after = {name: after[name] if name in update_fields else before[name]
                     for name in audit.TRACKED}
        grants.check(pk=self.pk, before=before, after=after)
        # A new password (set_password), not a re-hash of the same one at sign-in.
        new_password = getattr(self, "_password", None) is not None
        super().save(*args, **kwargs)
        audit.note_change(self.pk, audit.diff(before, after), created=before is None,
                          password=new_password and before is not None)

    def get_session_auth_hash(self):
        """What a session keeps to prove it still belongs to this account as it
        was at sign-in (checked by Django on every request).

        Django's own hash covers the password. This one also covers what the
        account may do (organization, role, zones, administrator flags) and
        ``session_epoch``: when any of them changes, by the person or by an
        administrator, on any path, every session signed in before ends at its
        next request, whatever the session backend. Where the person made the
        change themselves, ``update_session_auth_hash`` keeps their current
        session (Django's password change does).
        """
        return self._session_hash()

    def get_session_auth_fallback_hash(self):
        for fallback_secret in settings.SECRET_KEY_FALLBACKS:
            yield self._session_hash(secret=fallback_secret)

    def _session_hash(self, secret=None) -> str:
        from .policy import access_for  # the policy module imports this one

        access = access_for(self)
        zones = ("*" if access.zone_ids is None
                 else ",".join(str(pk) for pk in sorted(access.zone_ids)))
        value = "\n".join([self.password, str(self.session_epoch), self.organization,
                           self.role, str(self.is_staff), str(self.is_superuser), zones])
        return salted_hmac("accounts.User.session_auth_hash", value, secret=secret,
                           algorithm="sha256").hexdigest()

    def get_full_name(self):
        return self.full_name or self.username

    def get_short_name(self):
        return self.full_name.split()[-1] if self.full_name else self.username

    @property
    def role_label(self) -> str:
        """The account's organization and role in words, for the interface."""
        if not self.organization:
            return str(_("Administrator")) if self.is_staff else str(_("No role"))
        return f"{self.get_role_display()} · {self.get_organization_display()}"


class AccessChangeRequest(models.Model):
    """What an administrator proposes for an account that only a Party
    Committee leader's approval gives (separation of duties): access to
    personal data or to approve it, the superuser flag, a reactivation of such
    an account; or a new password or a two-step reset of an account that holds
    such access (its credentials). Until approved, the account keeps what it
    has; the leader who decides is neither the proposer nor the account.
    """

    class Kind(models.TextChoices):
        ACCESS = "access", _("Access")
        PASSWORD = "password", _("New password")
        TWO_STEP = "two_step", _("Two-step sign-in reset")

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting for approval")
        APPROVED = "approved", _("Approved")
        REJECTED = "rejected", _("Rejected")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    target = models.ForeignKey(User, verbose_name=_("account"), on_delete=models.PROTECT,
                               related_name="access_requests")
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    # The access proposed (kind ACCESS): the account's whole access once approved.
    organization = models.CharField(_("organization"), max_length=20,
                                    choices=User.Organization.choices, blank=True)
    role = models.CharField(_("role"), max_length=10, choices=User.Role.choices, blank=True)
    all_zones = models.BooleanField(_("all industrial zones"), default=False)
    zones = models.ManyToManyField("enterprises.IndustrialZone",
                                   verbose_name=_("assigned industrial zones"), blank=True,
                                   related_name="+")
    is_staff = models.BooleanField(_("staff status"), default=False)
    is_superuser = models.BooleanField(_("superuser status"), default=False)
    activate = models.BooleanField(_("activate the account"), default=False)
    # Kind PASSWORD: the proposed password's hash while pending; emptied when
    # decided. Never shown, never recorded in an event.
    password = models.CharField(max_length=128, blank=True, editable=False)
    reason = models.TextField(_("reason"))
    proposed_by = models.ForeignKey(User, verbose_name=_("proposed by"),
                                    on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("proposed at"), default=timezone.now)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices,
                              default=Status.PENDING)
    decided_by = models.ForeignKey(User, verbose_name=_("decided by"), null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="+")
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decision_note = models.TextField(_("decision note"), blank=True)

    class Meta:
        verbose_name = _("access change request")
        verbose_name_plural = _("access change requests")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["target", "kind"], condition=Q(status="pending"),
                                    name="accounts_accesschangerequest_one_pending"),
            models.CheckConstraint(
                condition=(Q(status="pending") & Q(decided_at__isnull=True)
                           & Q(decided_by__isnull=True))
                | (~Q(status="pending") & Q(decided_at__isnull=False)
                   & Q(decided_by__isnull=False)),
                name="accounts_accesschangerequest_decided_when_closed"),
            # Separation of duties: nobody decides on their own proposal or account.
            models.CheckConstraint(
                condition=~Q(status__in=["approved", "rejected"])
                | (~Q(decided_by=F("proposed_by")) & ~Q(decided_by=F("target"))),
                name="accounts_accesschangerequest_decided_by_another"),
            models.CheckConstraint(condition=~Q(proposed_by=F("target")),
                                   name="accounts_accesschangerequest_not_for_oneself"),
            models.CheckConstraint(
                condition=(Q(organization="") & Q(role=""))
                | (~Q(organization="") & ~Q(role="")),
                name="accounts_accesschangerequest_organization_and_role_together"),
            models.CheckConstraint(condition=Q(password="") | Q(status="pending", kind="password"),
                                   name="accounts_accesschangerequest_password_only_pending"),
        ]

    def __str__(self):
        return gettext("Request #%(pk)s: %(summary)s") % {"pk": self.pk,
                                                         "summary": self.summary}

    def get_absolute_url(self):
        from django.urls import reverse

        return reverse("accounts:access_request_detail", args=[self.pk])

    @property
    def is_pending(self) -> bool:
        return self.status == self.Status.PENDING

    @property
    def summary(self) -> str:
        """What is proposed, in words (no secret)."""
        if self.kind == self.Kind.PASSWORD:
            return gettext("a new password for %(account)s") % {"account": self.target.username}
        if self.kind == self.Kind.TWO_STEP:
            return gettext("reset the two-step sign-in of %(account)s") % {
                "account": self.target.username}
        return gettext("%(access)s for %(account)s") % {"access": self.access_label,
                                                       "account": self.target.username}

    @property
    def access_label(self) -> str:
        parts = []
        if self.organization:
            parts.append(f"{self.get_role_display()} · {self.get_organization_display()}")
        else:
            parts.append(gettext("no organization"))
        if self.is_superuser:
            parts.append(gettext("superuser"))
        elif self.is_staff:
            parts.append(gettext("administrator"))
        if self.activate:
            parts.append(gettext("activated"))
        return ", ".join(parts)


class AccountEvent(models.Model):
    """One change to an account: who made it and when, what changed (old →
    new, secrets never: a new password is an event without its value). Shown
    on the account's admin page and to its holder (accounts:security), who is
    also told in the bell and by e-mail (the ``account_changed`` signal)."""

    class Kind(models.TextChoices):
        CREATED = "created", _("Account created")
        CHANGED = "changed", _("Account changed")
        ACTIVATED = "activated", _("Account activated")
        DEACTIVATED = "deactivated", _("Account deactivated")
        PASSWORD_SET = "password_set", _("Password set by someone else")
        PASSWORD_CHANGED = "password_changed", _("Password changed by the account holder")
        PASSWORD_DISABLED = "password_disabled", _("Password sign-in disabled")
        TWO_STEP_RESET = "two_step_reset", _("Two-step sign-in reset")
        TWO_STEP_ON = "two_step_on", _("Two-step sign-in set up")
        TWO_STEP_OFF = "two_step_off", _("Two-step sign-in turned off")
        BACKUP_CODES = "backup_codes", _("New backup codes")
        REQUEST_PROPOSED = "request_proposed", _("Change proposed for approval")
        REQUEST_APPROVED = "request_approved", _("Proposed change approved")
        REQUEST_REJECTED = "request_rejected", _("Proposed change rejected")
        REQUEST_WITHDRAWN = "request_withdrawn", _("Proposed change withdrawn")

    account = models.ForeignKey(User, verbose_name=_("account"), on_delete=models.CASCADE,
                                related_name="events")
    # None: the system (a server command, the bootstrap).
    actor = models.ForeignKey(User, verbose_name=_("by"), null=True, blank=True,
                              on_delete=models.SET_NULL, related_name="+")
    at = models.DateTimeField(_("at"), default=timezone.now, db_index=True)
    kind = models.CharField(_("event"), max_length=20, choices=Kind.choices)
    # {field: [old, new]}; zones as their codes.
    changes = models.JSONField(_("changes"), default=dict, blank=True)
    request = models.ForeignKey(AccessChangeRequest, verbose_name=_("request"), null=True,
                                blank=True, on_delete=models.SET_NULL, related_name="events")
    note = models.CharField(_("note"), max_length=255, blank=True)

    class Meta:
        verbose_name = _("account event")
        verbose_name_plural = _("account events")
        ordering = ["-at", "-pk"]
        indexes = [models.Index(fields=["account", "-at"])]

    def __str__(self):
        return f"{self.get_kind_display()} · {self.account.username}"

    @property
    def actor_label(self) -> str:
        if self.actor is None:
            return gettext("the system")
        return f"{self.actor.get_full_name()} ({self.actor.username})"

    @property
    def description(self) -> str:
        """What changed, in words: the fields (old → new), the request."""
        parts = [audit.describe_changes(self.changes, created=self.kind == self.Kind.CREATED)]
        if self.request_id:
            parts.append(str(self.request))
            if self.kind == self.Kind.REQUEST_PROPOSED and self.request.reason:
                parts.append(pgettext_lazy("access request", "reason: %(reason)s")
                             % {"reason": self.request.reason})
            elif self.kind != self.Kind.REQUEST_PROPOSED and self.request.decision_note:
                parts.append(pgettext_lazy("access request", "note: %(note)s")
                             % {"note": self.request.decision_note})
        if self.note:
            parts.append(gettext(self.note))
        return " · ".join(part for part in parts if part)
