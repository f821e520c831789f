import factory

from accounts.models import User
from enterprises.models import IndustrialZone

PASSWORD = "Test-password-2026"  # test-only


class ZoneFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = IndustrialZone
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"Z{n:02d}")
    name = factory.Sequence(lambda n: f"Khu công nghiệp Thử nghiệm {n}")


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
