"""Accounts test data: ``UserFactory`` (zones=[...] sets the user's zones) and
``PASSWORD``, the password of every factory user.

Zones are registry data: ``ZoneFactory`` is in ``tests.enterprises.factories``.
"""

import factory

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
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def zones(self, create, extracted, **kwargs):
        if create and extracted:
            self.zones.set(extracted)
        if create:
            self.save()
