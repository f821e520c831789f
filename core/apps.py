from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from . import registry


class CoreConfig(AppConfig):
    name = "core"
    verbose_name = _("Core")

    def ready(self):
        from . import signals  # noqa: F401 - the receivers of accounts' signals

        registry.autodiscover()
