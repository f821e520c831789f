"""Who may see and add the files of a survey visit (see core.attachments)."""

from core import attachments

from .models import SurveyVisit
from .policy import can_edit_visit, can_view_visit

attachments.register_owner(SurveyVisit, can_view=can_view_visit, can_edit=can_edit_visit)
