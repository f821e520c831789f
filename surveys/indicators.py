"""Indicators over survey visits (DESIGN §5; see core.indicators)."""

from django.db.models import Exists, OuterRef, Q
from django.utils.translation import gettext_lazy as _

from core import indicators
from enterprises.models import Enterprise

from .models import SurveyVisit


@indicators.register(
    position=18, code="enterprises_surveyed", kind=indicators.FLOW, source=Enterprise,
    label="Doanh nghiệp được khảo sát trong kỳ",
    description=_("Distinct enterprises with a survey visit within the period."))
def enterprises_surveyed(period):
    # Each enterprise once, however many visits: counted with the registry's
    # figures (the same source).
    return Q(Exists(SurveyVisit.objects.filter(
        enterprise=OuterRef("pk"), visited_on__range=(period.start, period.end))))
