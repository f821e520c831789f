from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoordinationConfig(AppConfig):
    name = "coordination"
    verbose_name = _("Party development and coordination")

    def ready(self):
        from . import quorum  # noqa: F401 - connects the signals keeping the spans
