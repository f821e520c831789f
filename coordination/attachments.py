"""Who may see and add the files of a plan task (see core.attachments)."""

from coordination import plans
from core import attachments

from .models import PlanTask

# Files of a plan task: seen with the plan, added by whoever works the task.
attachments.register_owner(PlanTask, can_view=plans.attachment_can_view,
                           can_edit=plans.attachment_can_edit)
