from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SurveysConfig(AppConfig):
    name = "surveys"
    verbose_name = _("Surveys")

    def ready(self):
        from core import attachments
        from reports import indicators

        from . import panels  # noqa: F401 - registers the enterprise profile's panel
        from .models import SurveyVisit
        from .policy import can_edit_visit, can_view_visit
        from .selectors import surveyed_enterprises

        attachments.register_owner(SurveyVisit, can_view=can_view_visit,
                                   can_edit=can_edit_visit)
        indicators.register_source(indicators.SURVEYED_ENTERPRISES, surveyed_enterprises)
