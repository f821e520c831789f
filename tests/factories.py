"""Accounts test data: ``UserFactory`` (zones=[...] sets the user's zones) and
``PASSWORD``, the password of every factory user.

Zones are registry data: ``ZoneFactory`` is in ``tests.enterprises.factories``.
"""

import factory
from django.contrib.auth.hashers import make_password

from accounts import grants
from accounts.models import User

PASSWORD = "Test-password-2026"  # test-only


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    full_name = factory.Sequence(lambda n: f"Nguyễn Văn Thử {n}")
    organization = User.Organization.PARTY_COMMITTEE
    role = User.Role.OFFICER
    # Hashed here (not set_password after saving): a new account, not a
    # password changed afterwards (accounts.audit).
    password = factory.LazyFunction(lambda: make_password(PASSWORD))

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        # Test fixtures give any access directly (accounts.grants); the
        # approval path itself is tested in tests/accounts/test_separation.py.
        with grants.permitted("test fixture"):
            return super()._create(model_class, *args, **kwargs)

    @factory.post_generation
    def zones(self, create, extracted, **kwargs):
        if create and extracted:
            self.zones.set(extracted)
