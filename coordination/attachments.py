"""Who may see and add the files of a plan task, and of the working cycle
(the regulation, meetings, letters) (see core.attachments)."""

from coordination import plans
from core import attachments

from .cycle import attachments as cycle
from .models import Correspondence, Meeting, PlanTask, Regulation

# Files of a plan task: seen with the plan, added by whoever works the task.
attachments.register_owner(PlanTask, can_view=plans.attachment_can_view,
                           can_edit=plans.attachment_can_edit)
# The signed regulation and the minutes: seen with the plans, added by the
# Party Committee's officers.
attachments.register_owner(Regulation, can_view=cycle.cycle_can_view,
                           can_edit=cycle.cycle_can_edit)
attachments.register_owner(Meeting, can_view=cycle.cycle_can_view,
                           can_edit=cycle.cycle_can_edit)
# A letter's file: seen by whoever sees the letter.
attachments.register_owner(Correspondence, can_view=cycle.letter_can_view,
                           can_edit=cycle.letter_can_edit)
