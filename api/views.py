"""The API's views: thin, each asking ``accounts.policy`` and the apps'
selectors exactly as the pages do (scope, personal data, drafts)."""

from __future__ import annotations

import json

from django.db.models import OuterRef, Subquery
from django.http import FileResponse, Http404
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import generics, renderers
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts import policy
from accounts.policy import Perm
from coordination import selectors as party
from coordination.models import AdmissionCandidate, PartyMember
from coordination.plans import selectors as plans
from core import indicators
from core.access_log import LIST, VIEW, log_access
from core.indicators import Scope
from core.periods import Period
from enterprises import selectors as registry
from enterprises.models import Enterprise, IndustrialZone, MassOrganization, WorkforceRecord
from reports import selectors as report_selectors

from . import filters, serializers, services, sync
from .filters import MAX_ID
from .pagination import IdCursorPagination, UpdatedCursorPagination
from .permissions import PolicyPermission
from .problems import CONTENT_TYPE as PROBLEM
from .problems import Conflict, problem

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class ApiMixin:
    permission_classes = [PolicyPermission]
    required_perms: tuple[Perm, ...] = ()

    @property
    def access(self):
        return policy.access_for(self.request.user)


class ListView(ApiMixin, generics.ListAPIView):
    filter_backends = [DjangoFilterBackend]
    pagination_class = UpdatedCursorPagination


class DetailView(ApiMixin, generics.RetrieveAPIView):
    pass


# --- the registry --------------------------------------------------------------------------


class ZoneQuery:
    serializer_class = serializers.ZoneSerializer
    required_perms = (Perm.VIEW_REGISTRY,)

    def get_queryset(self):
        return self.access.scope_zones(IndustrialZone.objects.all(), "pk")


@extend_schema(tags=["registry"], summary=gettext_lazy("Industrial zones in the account's scope"))
class ZoneList(ZoneQuery, ListView):
    filterset_class = filters.ZoneFilter


@extend_schema(tags=["registry"], summary=gettext_lazy("One industrial zone"))
class ZoneDetail(ZoneQuery, DetailView):
    pass


class EnterpriseQuery:
    serializer_class = serializers.EnterpriseSerializer
    required_perms = (Perm.VIEW_REGISTRY,)

    def get_queryset(self):
        latest = (WorkforceRecord.objects.filter(enterprise=OuterRef("pk"))
                  .order_by("-as_of", "-pk").values("pk")[:1])
        return (self.access.scope_zones(Enterprise.objects.all(), "zone").select_related("zone")
                .annotate(current_workforce_pk=Subquery(latest)))

    @staticmethod
    def with_workforce(enterprises):
        """Each enterprise's latest workforce record, in one query for them all."""
        enterprises = list(enterprises)
        ids = [e.current_workforce_pk for e in enterprises if e.current_workforce_pk]
        records = WorkforceRecord.objects.in_bulk(ids)
        for enterprise in enterprises:
            enterprise.current_workforce = records.get(enterprise.current_workforce_pk)
        return enterprises


@extend_schema(tags=["registry"], summary=gettext_lazy(
    "Enterprises in the account's scope, with their current workforce"))
class EnterpriseList(EnterpriseQuery, ListView):
    filterset_class = filters.EnterpriseFilter

    def paginate_queryset(self, queryset):
        return self.with_workforce(super().paginate_queryset(queryset))


@extend_schema(tags=["registry"], summary=gettext_lazy("One enterprise"))
class EnterpriseDetail(EnterpriseQuery, DetailView):
    def get_object(self):
        return self.with_workforce([super().get_object()])[0]


class MassOrganizationQuery:
    serializer_class = serializers.MassOrganizationSerializer
    required_perms = (Perm.VIEW_REGISTRY,)

    def get_queryset(self):
        return self.access.scope_zones(MassOrganization.objects.all(), "enterprise__zone")


@extend_schema(tags=["registry"], summary=gettext_lazy(
    "Trade unions, youth unions and other mass organizations of the enterprises in "
    "scope"))
class MassOrganizationList(MassOrganizationQuery, ListView):
    filterset_class = filters.MassOrganizationFilter


@extend_schema(tags=["registry"], summary=gettext_lazy("One mass organization"))
class MassOrganizationDetail(MassOrganizationQuery, DetailView):
    pass


class PartyOrganizationQuery:
    serializer_class = serializers.PartyOrganizationSerializer
    required_perms = (Perm.VIEW_REGISTRY,)

    def get_queryset(self):
        return registry.party_organization_queryset(access=self.access)


@extend_schema(tags=["registry"], summary=gettext_lazy("Party organizations in the account's scope"))
class PartyOrganizationList(PartyOrganizationQuery, ListView):
    filterset_class = filters.PartyOrganizationFilter


@extend_schema(tags=["registry"], summary=gettext_lazy("One party organization"))
class PartyOrganizationDetail(PartyOrganizationQuery, DetailView):
    pass


# --- the sync ------------------------------------------------------------------------------

IDEMPOTENCY_KEY = OpenApiParameter(
    "Idempotency-Key", OpenApiTypes.STR, OpenApiParameter.HEADER, required=False,
    description=gettext_lazy(
        "Any unique string (a UUID) chosen by the client. The same key with the same body "
        "within 24 hours gets the first answer again and writes nothing; with another body, "
        "409."))
DRY_RUN = OpenApiParameter(
    "dry_run", OpenApiTypes.BOOL, OpenApiParameter.QUERY, required=False,
    description=gettext_lazy("Check every item and answer as if written, writing nothing."))


@extend_schema(
    tags=["registry"],
    summary=gettext_lazy("Create or update enterprises by tax code, with workforce records"),
    description=gettext_lazy(
        "All the items are written, or none: every refused value of every item is reported "
        "with its field. The rules are the Excel import's."),
    parameters=[IDEMPOTENCY_KEY, DRY_RUN],
    request=serializers.SyncRequestSerializer,
    responses={200: serializers.SyncResponseSerializer,
               422: OpenApiResponse(serializers.ProblemSerializer, description=gettext_lazy(
                   "Items refused; nothing was written."))})
class EnterpriseSync(ApiMixin, APIView):
    """All the items are written, or none: every refused value of every item
    is reported with its field. The rules are the Excel import's."""

    required_perms = (Perm.IMPORT_DATA,)
    throttle_scope = "write"

    def post(self, request):
        body = serializers.SyncRequestSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        key = request.headers.get("Idempotency-Key", "").strip()
        dry_run = request.query_params.get("dry_run", "").lower() in ("1", "true", "yes")
        if key:
            if len(key) > 255:
                raise ValidationError({"Idempotency-Key": [_("At most 255 characters.")]})
            digest = services.request_hash(method=request.method, path=request.get_full_path(),
                                           body=json.dumps(request.data, sort_keys=True,
                                                           default=str).encode())
            try:
                kept = services.idempotency_claim(account=request.user, key=key,
                                                  method=request.method,
                                                  path=request.get_full_path(), digest=digest)
            except services.KeyReused as exc:
                raise Conflict(_("This Idempotency-Key was used with another request.")) \
                    from exc
            except services.KeyInFlight as exc:
                raise Conflict(_("A request with this Idempotency-Key is still being "
                                 "answered.")) from exc
            if kept is not None:
                content_type = PROBLEM if kept.status_code >= 400 else None
                response = Response(kept.body, status=kept.status_code,
                                    content_type=content_type)
                response["Idempotent-Replayed"] = "true"
                return response
        try:
            response = self._apply(request, body.validated_data["items"], dry_run)
        except BaseException:
            if key:
                services.idempotency_release(account=request.user, key=key)
            raise
        if key:
            services.idempotency_answer(account=request.user, key=key,
                                        status_code=response.status_code, body=response.data)
        return response

    def _apply(self, request, items, dry_run):
        result = sync.enterprises_sync(actor=request.user, items=items, dry_run=dry_run)
        if result.error:
            return problem(request, 422, result.error, items=[])
        if not result.ok:
            refused = [{"index": item.index, "tax_code": item.tax_code, "errors": item.errors}
                       for item in result.items if item.errors]
            count = sum(len(item["errors"]) for item in refused)
            return problem(request, 422, _(
                "%(items)s of %(total)s items refused (%(errors)s errors): nothing was "
                "written.") % {"items": len(refused), "total": len(result.items),
                               "errors": count}, items=refused)
        data = {"created": result.count("new"), "updated": result.count("updated"),
                "unchanged": result.count("unchanged"),
                "items": [{"index": item.index, "tax_code": item.tax_code, "id": item.id,
                           "status": item.status, "changes": item.changes}
                          for item in result.items]}
        return Response(data)


# --- party development: personal data -------------------------------------------------------


class PersonQuery:
    required_perms = (Perm.VIEW_PERSONAL_DATA,)
    model = None
    page_name = ""
    # The app's selector of the rows in the account's scope (``access=``).
    selector = None

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # the schema's generator
            return self.model.objects.none()
        return self.selector(access=self.access)

    def get_serializer_context(self):
        context = super().get_serializer_context()
        # A record's own page shows the citizen ID whole, lists mask it.
        context["whole_citizen_id"] = isinstance(self, DetailView)
        return context

    def list(self, request, *args, **kwargs):
        response = super().list(request, *args, **kwargs)
        if response.data.get("results"):
            filters_used = " ".join(f"{name}={value}" for name, value in
                                    sorted(request.query_params.items())
                                    if name in self.logged_filters)
            log_access(request, action=LIST, record_type=self.model._meta.label_lower,
                       detail=f"api {self.page_name} {filters_used}".strip())
        return response

    def retrieve(self, request, *args, **kwargs):
        response = super().retrieve(request, *args, **kwargs)
        log_access(request, action=VIEW, record_type=self.model._meta.label_lower,
                   record_id=response.data["id"], detail=f"api {self.page_name}")
        return response

    # Filters that name no one, written in the log's detail.
    logged_filters = ("zone", "enterprise", "party_organization", "status", "stage",
                      "admitted_after", "admitted_before", "identified_after",
                      "identified_before", "updated_since")


class MemberQuery(PersonQuery):
    serializer_class = serializers.MemberSerializer
    model = PartyMember
    page_name = "member"
    selector = staticmethod(party.member_queryset)


@extend_schema(tags=["party development"], summary=gettext_lazy(
    "Party members (accounts that see personal data; every read is logged)"))
class MemberList(MemberQuery, ListView):
    filterset_class = filters.MemberFilter


@extend_schema(tags=["party development"], summary=gettext_lazy("One party member (logged)"))
class MemberDetail(MemberQuery, DetailView):
    pass


class CandidateQuery(PersonQuery):
    serializer_class = serializers.CandidateSerializer
    model = AdmissionCandidate
    page_name = "candidate"
    selector = staticmethod(party.candidate_queryset)


@extend_schema(tags=["party development"], summary=gettext_lazy(
    "Admission candidates (accounts that see personal data; every read is logged)"))
class CandidateList(CandidateQuery, ListView):
    filterset_class = filters.CandidateFilter


@extend_schema(tags=["party development"], summary=gettext_lazy("One admission candidate (logged)"))
class CandidateDetail(CandidateQuery, DetailView):
    pass


# --- plans, indicators, reports ---------------------------------------------------------------


class PlanQuery:
    serializer_class = serializers.PlanSerializer
    required_perms = (Perm.VIEW_PLANS,)

    def get_queryset(self):
        return plans.plan_queryset(access=self.access)

    def progress_of(self, rows):
        today = timezone.localdate()
        self.progress = {plan.pk: plans.targets_progress(
            plans.targets_visible(access=self.access, plan=plan), year=plan.year, today=today)
            for plan in rows}
        return rows

    def get_serializer_context(self):
        context = super().get_serializer_context()
        context["progress"] = getattr(self, "progress", {})
        return context


@extend_schema(tags=["plans"], summary=gettext_lazy(
    "Coordination plans with their targets and computed actuals (drafts only for the "
    "accounts that draft or approve)"))
class PlanList(PlanQuery, ListView):
    filterset_class = filters.PlanFilter

    def paginate_queryset(self, queryset):
        return self.progress_of(list(super().paginate_queryset(queryset)))


@extend_schema(tags=["plans"], summary=gettext_lazy("One coordination plan"))
class PlanDetail(PlanQuery, DetailView):
    def get_object(self):
        return self.progress_of([super().get_object()])[0]


@extend_schema(
    tags=["indicators"],
    summary=gettext_lazy(
        "The catalogue's indicators for a period, for the account's zones or one of them"),
    responses={200: serializers.IndicatorsSerializer},
    parameters=[
        OpenApiParameter("period", OpenApiTypes.STR, required=True, description=gettext_lazy(
            "2026, 2026-H1, 2026-Q3 or 2026-09."),
            pattern=r"^\d{4}(-H[12]|-Q[1-4]|-(0[1-9]|1[0-2]))?$"),
        OpenApiParameter("zone", OpenApiTypes.INT, required=False, description=gettext_lazy(
            "A zone id; without it, every zone the account sees.")),
        OpenApiParameter("by_zone", OpenApiTypes.BOOL, required=False, description=gettext_lazy(
            "Also each zone's figures, computed as the reports' sheet by zone."))])
class IndicatorValues(ApiMixin, APIView):
    """The same figures as the dashboard and the reports (``core.indicators``)."""

    required_perms = (Perm.VIEW_DASHBOARD,)

    def get(self, request):
        try:
            period = Period.parse(request.query_params.get("period", ""))
        except ValueError as exc:
            raise ValidationError({"period": [str(exc)]}) from exc
        if period.year > 9999 or period.year < 1900:
            raise ValidationError({"period": [_("A year between 1900 and 9999.")]})
        zone = request.query_params.get("zone")
        if zone:
            try:
                zone_id = int(zone)
            except ValueError as exc:
                raise ValidationError({"zone": [_("A zone id.")]}) from exc
            if not 0 < zone_id <= MAX_ID:
                raise ValidationError({"zone": [_("A zone id.")]})
            if not (self.access.sees_zone(zone_id)
                    and IndustrialZone.objects.filter(pk=zone_id).exists()):
                raise NotFound
            scope = Scope.zone(zone_id)
        else:
            zone_id, scope = None, Scope.for_access(self.access)
        figures = indicators.compute_many(
            [(indicator, period) for indicator in indicators.CATALOGUE], scope)
        answer = {"period": period.code, "start": period.start, "end": period.end,
                  "zone": zone_id,
                  "values": self._values(lambda code: figures[code, period])}
        if request.query_params.get("by_zone", "").lower() in ("1", "true", "yes"):
            zones = indicators.by_zone(period, scope.zone_ids)
            answer["by_zone"] = [{"zone": zone, "values": self._values(values.get)}
                                 for zone, values in zones.items()]
        return Response(answer)

    @staticmethod
    def _values(value_of) -> list[dict]:
        return [{"code": i.code, "label": i.label, "kind": str(i.kind), "value": value_of(i.code)}
                for i in indicators.CATALOGUE]


class ReportQuery:
    serializer_class = serializers.ReportSerializer
    required_perms = (Perm.DOWNLOAD_REPORTS,)
    pagination_class = IdCursorPagination

    def get_queryset(self):
        return report_selectors.report_queryset(access=self.access)


@extend_schema(tags=["reports"], summary=gettext_lazy("Periodic reports in the account's scope"))
class ReportList(ReportQuery, ListView):
    filterset_class = filters.ReportFilter


@extend_schema(tags=["reports"], summary=gettext_lazy("One report"))
class ReportDetail(ReportQuery, DetailView):
    pass


class XlsxRenderer(renderers.BaseRenderer):
    media_type = XLSX
    format = "xlsx"
    charset = None

    def render(self, data, accepted_media_type=None, renderer_context=None):
        if isinstance(data, bytes):
            return data
        return json.dumps(data, default=str).encode()


@extend_schema(tags=["reports"], summary=gettext_lazy(
    "Download a ready report's workbook (POST, logged when it holds personal detail)"), request=None,
               responses={(200, XLSX): OpenApiTypes.BINARY})
class ReportDownload(ApiMixin, APIView):
    required_perms = (Perm.DOWNLOAD_REPORTS,)
    renderer_classes = [renderers.JSONRenderer, XlsxRenderer]

    def post(self, request, pk: int):
        report = report_selectors.report_get(access=self.access, pk=pk)
        if not report.is_ready:
            raise Http404
        try:
            handle = report.file.open("rb")
        except FileNotFoundError as exc:
            raise Http404 from exc
        if report.personal:
            log_access(request, action="export", record=report, detail=report.download_name)
        return FileResponse(handle, as_attachment=True, filename=report.download_name,
                            content_type=XLSX)


@extend_schema(exclude=True)
class NoSuchEndpoint(APIView):
    """Any path under /api/v1/ that names no endpoint: a problem-details 404
    (rather than the site's HTML page), whoever asks and with whatever method."""

    authentication_classes: list = []
    permission_classes: list = []
    throttle_classes: list = []

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        raise NotFound(_("There is no such endpoint: see /api/v1/docs/."))
