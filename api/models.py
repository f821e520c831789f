"""API tokens and the answers kept for ``Idempotency-Key``."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from core.models import CleanTextModel


def default_expiry():
    return timezone.localdate() + timedelta(days=settings.API_TOKEN_DAYS)


class ApiToken(CleanTextModel):
    """A token one integration uses to act as one account, and no more.

    The secret is shown once, when the token is created; only its SHA-256
    hash is kept, with a short prefix to find the row. A token stops working
    when it is revoked, after its expiry date, or when its account is
    deactivated.
    """

    account = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("account"),
                                on_delete=models.PROTECT, related_name="api_tokens")
    name = models.CharField(_("name"), max_length=100,
                            help_text=_("The system that uses it, e.g. the IZ Board's registry."))
    prefix = models.CharField(_("prefix"), max_length=12, unique=True, editable=False)
    secret_hash = models.CharField(max_length=64, editable=False)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("created by"),
                                   on_delete=models.PROTECT, null=True, blank=True,
                                   related_name="+", editable=False)
    created_at = models.DateTimeField(_("created at"), default=timezone.now, editable=False)
    expires_on = models.DateField(_("expires on"), default=default_expiry,
                                  help_text=_("The token stops working after this day."))
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True, editable=False)
    last_used_at = models.DateTimeField(_("last used at"), null=True, blank=True,
                                        editable=False)

    history = HistoricalRecords(excluded_fields=["secret_hash", "last_used_at"])

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(condition=~Q(prefix=""), name="api_apitoken_prefix_not_blank"),
            models.CheckConstraint(condition=Q(secret_hash__regex=r"^[0-9a-f]{64}$"),
                                   name="api_apitoken_secret_hash_sha256"),
        ]

    def __str__(self):
        return f"{self.name} ({self.prefix}…)"

    def is_usable_on(self, day) -> bool:
        return self.revoked_at is None and day <= self.expires_on and self.account.is_active


class IdempotentAnswer(models.Model):
    """The answer given to a write sent with an ``Idempotency-Key``, kept
    ``API_IDEMPOTENCY_HOURS`` so that the same request sent again gets it
    again without being applied twice."""

    account = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                                related_name="+")
    key = models.CharField(max_length=255)
    method = models.CharField(max_length=10)
    path = models.CharField(max_length=255)
    request_hash = models.CharField(max_length=64)
    status_code = models.PositiveSmallIntegerField()
    body = models.JSONField(default=dict)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["account", "key"],
                                    name="api_idempotentanswer_one_per_key"),
        ]

    def __str__(self):
        return f"{self.account_id} {self.key}"
