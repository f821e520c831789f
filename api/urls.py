from django.urls import path, re_path, register_converter
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.permissions import AllowAny

from . import views

app_name = "api"


class IdConverter:
    """An id the database can hold: 1 to 18 digits (a longer one is a 404)."""

    regex = "[0-9]{1,18}"

    def to_python(self, value):
        return int(value)

    def to_url(self, value):
        return str(value)


register_converter(IdConverter, "id")

urlpatterns = [
    # The published schema and its documentation: open to anyone (no data).
    path("schema/", SpectacularAPIView.as_view(permission_classes=[AllowAny]), name="schema"),
    # Its initialisation script is a file of its own (?script=): no inline script.
    path("docs/", SpectacularSwaggerSplitView.as_view(url_name="api:schema",
                                                      permission_classes=[AllowAny]),
         name="docs"),
    path("zones/", views.ZoneList.as_view(), name="zone_list"),
    path("zones/<id:pk>/", views.ZoneDetail.as_view(), name="zone_detail"),
    path("enterprises/", views.EnterpriseList.as_view(), name="enterprise_list"),
    path("enterprises/sync/", views.EnterpriseSync.as_view(), name="enterprise_sync"),
    path("enterprises/<id:pk>/", views.EnterpriseDetail.as_view(), name="enterprise_detail"),
    path("mass-organizations/", views.MassOrganizationList.as_view(), name="massorg_list"),
    path("mass-organizations/<id:pk>/", views.MassOrganizationDetail.as_view(),
         name="massorg_detail"),
    path("party-organizations/", views.PartyOrganizationList.as_view(), name="partyorg_list"),
    path("party-organizations/<id:pk>/", views.PartyOrganizationDetail.as_view(),
         name="partyorg_detail"),
    path("members/", views.MemberList.as_view(), name="member_list"),
    path("members/<id:pk>/", views.MemberDetail.as_view(), name="member_detail"),
    path("candidates/", views.CandidateList.as_view(), name="candidate_list"),
    path("candidates/<id:pk>/", views.CandidateDetail.as_view(), name="candidate_detail"),
    path("plans/", views.PlanList.as_view(), name="plan_list"),
    path("plans/<id:pk>/", views.PlanDetail.as_view(), name="plan_detail"),
    path("indicators/", views.IndicatorValues.as_view(), name="indicators"),
    path("reports/", views.ReportList.as_view(), name="report_list"),
    path("reports/<id:pk>/", views.ReportDetail.as_view(), name="report_detail"),
    path("reports/<id:pk>/download/", views.ReportDownload.as_view(), name="report_download"),
    # Last: any other path under /api/v1/ answers a problem-details 404.
    re_path(r"", views.NoSuchEndpoint.as_view(), name="no_such_endpoint"),
]
