from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoordinationConfig(AppConfig):
    name = "coordination"
    verbose_name = _("Party development and coordination")

    def ready(self):
        from core import attachments

        # panels: registers the panels on registry pages.
        from . import panels, plans  # noqa: F401
        from .models import PlanTask

        # Files of a plan task: seen with the plan, added by whoever works the task.
        attachments.register_owner(PlanTask, can_view=plans.attachment_can_view,
                                   can_edit=plans.attachment_can_edit)
