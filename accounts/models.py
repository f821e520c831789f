from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models import Q
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext_lazy as _


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
