"""Every URL of the project, as anonymous and as each role, inside and outside
the account's scope, against an explicit table of expected answers.

The URL list comes from the resolver, so a new page cannot be forgotten: a URL
name missing from EXPECTED fails the first test. Objects belong to zone A (the
IZ officer's zone) or zone B (outside it); "in" and "out" rows give the answer
for each. Only GET is exercised here; each page's POST rules are tested with it.
"""

from __future__ import annotations

from datetime import date

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.files.base import ContentFile
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from accounts import services as account_services
from coordination.models import (
    Committee,
    Conclusion,
    CoordinationPlan,
    Correspondence,
    DossierDocument,
    Founding,
    Meeting,
    PlanTarget,
    PlanTask,
    Regulation,
)
from coordination.reviews import services as review_services
from core.models import Attachment, ExportJob, ImportRun, Notification
from reports.models import Report
from surveys.models import FollowUp, SurveyCampaign, SurveyVisit
from tests.conftest import make_role_users, make_zone_a, make_zone_b, module_data
from tests.coordination.factories import make_candidate, make_member
from tests.enterprises.factories import EnterpriseFactory, MassOrganizationFactory, PartyOrganizationFactory

pytestmark = pytest.mark.django_db

ROLES = ["anon", "pc_officer", "pc_leader", "iz_officer", "iz_leader", "admin"]

# The answer to a GET, per role in the order of ROLES: 302 = to the login page,
# 3020 = a redirect elsewhere (an action page sending back to its object), 403 = not
# this role's work, 404 = outside the account's scope (or not the account's own), 405 =
# the URL only takes POST. "in": the object is in zone A (the IZ officer's zone) or has
# no zone; "out": it is in zone B. For task pages "in" is an IZ-side task and "out" a
# Party Committee one; for reports, "in" is zone A's report.
#                                           anon  pc_off pc_lead iz_off iz_lead admin
EXPECTED: dict[str, dict[str, list[int]]] = {
    # Proposed changes of access: Party Committee leaders decide, administrators propose.
    "accounts:access_request_list": {"in": [302, 403, 200, 403, 403, 200]},
    "accounts:access_request_detail": {"in": [302, 403, 200, 403, 403, 200]},
    "accounts:access_request_decide": {"in": [302, 403, 405, 403, 403, 405]},
    "accounts:login": {"in": [200, 3020, 3020, 3020, 3020, 3020]},
    # The REST API (signed in by session here; tests/api/test_permission_matrix.py asks the
    # same with each account's token): no credentials = 401, never a redirect; the
    # published schema and its documentation are open.
    "api:schema": {"in": [200, 200, 200, 200, 200, 200]},
    "api:docs": {"in": [200, 200, 200, 200, 200, 200]},
    "api:zone_list": {"in": [401, 200, 200, 200, 200, 403]},
    "api:zone_detail": {"in": [401, 200, 200, 200, 200, 403],
                        "out": [401, 200, 200, 404, 200, 403]},
    "api:enterprise_list": {"in": [401, 200, 200, 200, 200, 403]},
    "api:enterprise_detail": {"in": [401, 200, 200, 200, 200, 403],
                              "out": [401, 200, 200, 404, 200, 403]},
    # Writes by POST: a GET is refused once allowed in.
    "api:enterprise_sync": {"in": [401, 405, 403, 405, 403, 403]},
    "api:massorg_list": {"in": [401, 200, 200, 200, 200, 403]},
    "api:massorg_detail": {"in": [401, 200, 200, 200, 200, 403],
                           "out": [401, 200, 200, 404, 200, 403]},
    "api:partyorg_list": {"in": [401, 200, 200, 200, 200, 403]},
    "api:partyorg_detail": {"in": [401, 200, 200, 200, 200, 403],
                            "out": [401, 200, 200, 404, 200, 403]},
    "api:member_list": {"in": [401, 200, 200, 403, 403, 403]},
    "api:member_detail": {"in": [401, 200, 200, 403, 403, 403],
                          "out": [401, 200, 200, 403, 403, 403]},
    "api:candidate_list": {"in": [401, 200, 200, 403, 403, 403]},
    "api:candidate_detail": {"in": [401, 200, 200, 403, 403, 403],
                             "out": [401, 200, 200, 403, 403, 403]},
    "api:plan_list": {"in": [401, 200, 200, 200, 200, 403]},
    "api:plan_detail": {"in": [401, 200, 200, 200, 200, 403]},
    # Without its required period: 400 once allowed in.
    "api:indicators": {"in": [401, 400, 400, 400, 400, 403]},
    "api:report_list": {"in": [401, 200, 200, 200, 200, 403]},
    "api:report_detail": {"in": [401, 200, 200, 200, 200, 403],
                          "out": [401, 200, 200, 404, 200, 403]},
    "api:report_download": {"in": [401, 405, 405, 405, 405, 403],
                            "out": [401, 405, 405, 405, 405, 403]},
    # Any other path under /api/v1/ (its root included): a problem-details 404 for anyone.
    "api:no_such_endpoint": {"in": [404, 404, 404, 404, 404, 404]},
    "accounts:logout": {"in": [405, 405, 405, 405, 405, 405]},
    "accounts:password_change": {"in": [302, 200, 200, 200, 200, 200]},
    "accounts:password_change_done": {"in": [302, 200, 200, 200, 200, 200]},
    "accounts:security": {"in": [302, 200, 200, 200, 200, 200]},
    # Signed in already (no two-step code owed): on to the page asked for.
    "accounts:two_step": {"in": [302, 3020, 3020, 3020, 3020, 3020]},
    "accounts:two_step_setup": {"in": [302, 200, 200, 200, 200, 200]},
    # Without an authenticator there is nothing to change: to the security or set-up page.
    "accounts:two_step_change": {"in": [302, 3020, 3020, 3020, 3020, 3020]},
    "accounts:two_step_codes": {"in": [302, 3020, 3020, 3020, 3020, 3020]},
    "accounts:two_step_disable": {"in": [302, 3020, 3020, 3020, 3020, 3020]},
    "coordination:candidate_advance": {
        "in": [302, 200, 403, 403, 403, 403],
        "out": [302, 200, 403, 403, 403, 403]},
    "coordination:candidate_close": {
        "in": [302, 405, 403, 403, 403, 403],
        "out": [302, 405, 403, 403, 403, 403]},
    "coordination:candidate_create": {"in": [302, 200, 403, 403, 403, 403]},
    "coordination:candidate_extend": {
        "in": [302, 405, 403, 403, 403, 403],
        "out": [302, 405, 403, 403, 403, 403]},
    "coordination:candidate_subject_file": {
        "in": [302, 405, 403, 403, 403, 403],
        "out": [302, 405, 403, 403, 403, 403]},
    "coordination:member_subject_file": {
        "in": [302, 405, 403, 403, 403, 403],
        "out": [302, 405, 403, 403, 403, 403]},
    # The dossier: personal data; writes for Party Committee officers.
    "coordination:candidate_document_create": {
        "in": [302, 200, 403, 403, 403, 403],
        "out": [302, 200, 403, 403, 403, 403]},
    "coordination:dossier_document_update": {
        "in": [302, 200, 403, 403, 403, 403],
        "out": [302, 200, 403, 403, 403, 403]},
    "coordination:dossier_document_file": {
        "in": [302, 405, 405, 403, 403, 403],
        "out": [302, 405, 405, 403, 403, 403]},
    # Word documents: POST downloads for accounts that see personal data.
    "coordination:candidate_decision_document": {
        "in": [302, 405, 405, 403, 403, 403],
        "out": [302, 405, 405, 403, 403, 403]},
    "coordination:partyorg_candidates_document": {
        "in": [302, 405, 405, 403, 403, 403],
        "out": [302, 405, 405, 403, 403, 403]},
    "coordination:member_recognition_resolution_document": {
        "in": [302, 405, 405, 403, 403, 403],
        "out": [302, 405, 405, 403, 403, 403]},
    "coordination:member_recognition_decision_document": {
        "in": [302, 405, 405, 403, 403, 403],
        "out": [302, 405, 405, 403, 403, 403]},
    "coordination:candidate_detail": {
        "in": [302, 200, 200, 403, 403, 403],
        "out": [302, 200, 200, 403, 403, 403]},
    # Exports and downloads are POST (they are logged): a GET is refused once allowed in.
    "coordination:candidate_export": {"in": [302, 405, 405, 403, 403, 403]},
    "coordination:candidate_list": {"in": [302, 200, 200, 403, 403, 403]},
    "coordination:candidate_update": {
        "in": [302, 200, 403, 403, 403, 403],
        "out": [302, 200, 403, 403, 403, 403]},
    "coordination:conclusion_create": {"in": [302, 3020, 403, 403, 403, 403]},
    "coordination:conclusion_delete": {"in": [405, 405, 405, 405, 405, 405]},
    "coordination:conclusion_make_task": {"in": [405, 405, 405, 405, 405, 405]},
    "coordination:conclusion_update": {"in": [302, 200, 403, 403, 403, 403]},
    "coordination:correspondence_create": {"in": [302, 200, 403, 200, 403, 403]},
    # "in": a letter about an enterprise of zone A; "out": of zone B.
    "coordination:correspondence_detail": {
        "in": [302, 200, 200, 200, 200, 403],
        "out": [302, 200, 200, 404, 200, 403]},
    "coordination:correspondence_list": {"in": [302, 200, 200, 200, 200, 403]},
    "coordination:correspondence_reply": {
        "in": [302, 3020, 403, 3020, 403, 403],
        "out": [302, 3020, 403, 404, 403, 403]},
    "coordination:correspondence_update": {
        "in": [302, 200, 403, 200, 403, 403],
        "out": [302, 200, 403, 404, 403, 403]},
    "coordination:committee_create": {"in": [302, 200, 403, 403, 403, 403]},
    "coordination:committee_detail": {"in": [302, 200, 200, 200, 200, 403]},
    "coordination:committee_list": {"in": [302, 200, 200, 200, 200, 403]},
    "coordination:committee_update": {"in": [302, 200, 403, 403, 403, 403]},
    "coordination:founding_abandon": {
        "in": [302, 405, 403, 403, 403, 403],
        "out": [302, 405, 403, 403, 403, 403]},
    "coordination:founding_board": {"in": [302, 200, 200, 200, 200, 403]},
    "coordination:founding_detail": {
        "in": [302, 200, 200, 200, 200, 403],
        "out": [302, 200, 200, 404, 200, 403]},
    "coordination:founding_start": {
        "in": [302, 405, 403, 403, 403, 403],
        "out": [302, 405, 403, 403, 403, 403]},
    "coordination:founding_step": {
        "in": [302, 200, 403, 403, 403, 403],
        "out": [302, 200, 403, 403, 403, 403]},
    "coordination:helper_options": {"in": [302, 200, 403, 403, 403, 403]},
    "coordination:meeting_create": {"in": [302, 200, 403, 403, 403, 403]},
    "coordination:meeting_detail": {"in": [302, 200, 200, 200, 200, 403]},
    "coordination:meeting_list": {"in": [302, 200, 200, 200, 200, 403]},
    "coordination:meeting_update": {"in": [302, 200, 403, 403, 403, 403]},
    "coordination:member_create": {"in": [302, 200, 403, 403, 403, 403]},
    "coordination:member_detail": {
        "in": [302, 200, 200, 403, 403, 403],
        "out": [302, 200, 200, 403, 403, 403]},
    "coordination:member_export": {"in": [302, 405, 405, 403, 403, 403]},
    "coordination:member_leave": {
        "in": [302, 200, 403, 403, 403, 403],
        "out": [302, 200, 403, 403, 403, 403]},
    "coordination:member_move": {
        "in": [302, 200, 403, 403, 403, 403],
        "out": [302, 200, 403, 403, 403, 403]},
    "coordination:member_transfer_out": {
        "in": [302, 200, 403, 403, 403, 403],
        "out": [302, 200, 403, 403, 403, 403]},
    # Only for a member off the rolls: one on them is sent back to the member page.
    "coordination:member_return": {
        "in": [302, 3020, 403, 403, 403, 403],
        "out": [302, 3020, 403, 403, 403, 403]},
    "coordination:member_transfer_in": {"in": [302, 200, 403, 403, 403, 403]},
    "coordination:members_move": {"in": [302, 200, 403, 403, 403, 403]},
    "coordination:placement_correct": {
        "in": [302, 200, 403, 403, 403, 403],
        "out": [302, 200, 403, 403, 403, 403]},
    "coordination:enterprise_options": {"in": [302, 200, 403, 403, 403, 403]},
    "coordination:organization_options": {"in": [302, 200, 403, 403, 403, 403]},
    "coordination:member_list": {"in": [302, 200, 200, 403, 403, 403]},
    "coordination:member_recognise": {
        "in": [302, 200, 403, 403, 403, 403],
        "out": [302, 200, 403, 403, 403, 403]},
    "coordination:member_update": {
        "in": [302, 200, 403, 403, 403, 403],
        "out": [302, 200, 403, 403, 403, 403]},
    "coordination:pipeline": {"in": [302, 200, 200, 200, 200, 403]},
    "coordination:plan_approve": {"in": [405, 405, 405, 405, 405, 405]},
    "coordination:plan_close": {"in": [405, 405, 405, 405, 405, 405]},
    "coordination:plan_copy": {"in": [405, 405, 405, 405, 405, 405]},
    "coordination:plan_create": {"in": [302, 200, 403, 403, 403, 403]},
    "coordination:plan_detail": {"in": [302, 200, 200, 200, 200, 403]},
    "coordination:plan_list": {"in": [302, 200, 200, 200, 200, 403]},
    "coordination:plan_update": {"in": [302, 200, 403, 403, 403, 403]},
    "coordination:qualifying": {"in": [302, 200, 200, 200, 200, 403]},
    "coordination:recognition_due": {"in": [302, 200, 200, 403, 403, 403]},
    "coordination:regulation": {"in": [302, 200, 200, 200, 200, 403]},
    "coordination:regulation_create": {"in": [302, 200, 403, 403, 403, 403]},
    "coordination:regulation_detail": {"in": [302, 200, 200, 200, 200, 403]},
    "coordination:regulation_update": {"in": [302, 200, 403, 403, 403, 403]},
    # Reviews: "in" is a finished review (a joint document every reader sees), "out" a
    # draft (the Party Committee's working document: 404 to the IZ Board).
    "coordination:review_list": {"in": [302, 200, 200, 200, 200, 403]},
    "coordination:review_create": {"in": [302, 200, 403, 403, 403, 403]},
    "coordination:review_detail": {
        "in": [302, 200, 200, 200, 200, 403],
        "out": [302, 200, 200, 404, 404, 403]},
    "coordination:review_document_status": {
        "in": [302, 200, 200, 200, 200, 403],
        "out": [302, 200, 200, 404, 404, 403]},
    "coordination:review_update": {
        "in": [302, 3020, 403, 403, 403, 403],
        "out": [302, 200, 403, 403, 403, 403]},
    "coordination:review_commendation_create": {
        "in": [302, 3020, 403, 403, 403, 403],
        "out": [302, 200, 403, 403, 403, 403]},
    "coordination:review_target_create": {
        "in": [302, 3020, 403, 403, 403, 403],
        "out": [302, 3020, 403, 403, 403, 403]},
    # The Word report: a POST download for every reader of the review.
    "coordination:review_finish": {
        "in": [302, 405, 403, 403, 403, 403],
        "out": [302, 405, 403, 403, 403, 403]},
    "coordination:review_reopen": {
        "in": [302, 405, 403, 403, 403, 403],
        "out": [302, 405, 403, 403, 403, 403]},
    "coordination:review_targets_to_plan": {
        "in": [302, 405, 403, 403, 403, 403],
        "out": [302, 405, 403, 403, 403, 403]},
    "coordination:review_document_retry": {
        "in": [302, 405, 403, 403, 403, 403],
        "out": [302, 405, 403, 403, 403, 403]},
    "coordination:review_target_delete": {
        "in": [302, 405, 403, 403, 403, 403],
        "out": [302, 405, 403, 403, 403, 403]},
    "coordination:review_commendation_delete": {
        "in": [302, 405, 403, 403, 403, 403],
        "out": [302, 405, 403, 403, 403, 403]},
    "coordination:review_document": {
        "in": [302, 405, 405, 405, 405, 403],
        "out": [302, 405, 405, 405, 405, 403]},
    "coordination:target_create": {"in": [302, 3020, 403, 403, 403, 403]},
    "coordination:target_delete": {
        "in": [405, 405, 405, 405, 405, 405],
        "out": [405, 405, 405, 405, 405, 405]},
    "coordination:target_update": {
        "in": [302, 3020, 403, 403, 403, 403],
        "out": [302, 3020, 403, 403, 403, 403]},
    "coordination:task_create": {"in": [302, 200, 403, 403, 403, 403]},
    "coordination:task_delete": {"in": [405, 405, 405, 405, 405, 405], "out": [405, 405, 405, 405, 405, 405]},
    "coordination:task_detail": {"in": [302, 200, 200, 200, 200, 403], "out": [302, 200, 200, 200, 200, 403]},
    "coordination:task_list": {"in": [302, 200, 200, 200, 200, 403]},
    "coordination:task_progress": {
        "in": [302, 3020, 403, 3020, 403, 403],
        "out": [302, 3020, 403, 404, 403, 403]},
    "coordination:task_update": {"in": [302, 200, 403, 403, 403, 403], "out": [302, 200, 403, 403, 403, 403]},
    "core:attachment_download": {"in": [302, 200, 200, 200, 200, 404], "out": [302, 200, 200, 404, 200, 404]},
    "core:data_review": {"in": [302, 200, 200, 200, 200, 403]},
    "core:processing_register": {"in": [302, 403, 403, 403, 403, 200]},
    "core:home": {"in": [302, 200, 200, 200, 200, 200]},
    "core:import_confirm": {"in": [302, 405, 405, 405, 405, 405]},
    "core:import_errors": {"in": [302, 405, 405, 405, 405, 405]},
    "core:import_preview": {"in": [302, 200, 403, 200, 403, 403]},
    # "My exports": every account sees its own background exports (404 for
    # another's); the file is a POST download (tests/core/test_exports.py).
    "core:export_list": {"in": [302, 200, 200, 200, 200, 200]},
    "core:export_status": {"in": [302, 200, 200, 200, 200, 200]},
    "core:export_download": {"in": [302, 405, 405, 405, 405, 405]},
    "core:import_template": {"in": [302, 200, 403, 200, 403, 403]},
    "core:import_upload": {"in": [302, 200, 403, 200, 403, 403]},
    "core:notification_list": {"in": [302, 200, 200, 200, 200, 200]},
    "core:notification_open": {"in": [302, 405, 405, 405, 405, 405]},
    "core:notification_read_all": {"in": [302, 405, 405, 405, 405, 405]},
    "enterprises:enterprise_create": {"in": [302, 200, 403, 200, 403, 403]},
    "enterprises:enterprise_detail": {
        "in": [302, 200, 200, 200, 200, 403],
        "out": [302, 200, 200, 404, 200, 403]},
    "enterprises:enterprise_export": {"in": [302, 405, 405, 405, 405, 403]},
    "enterprises:enterprise_list": {"in": [302, 200, 200, 200, 200, 403]},
    "enterprises:enterprise_update": {
        "in": [302, 200, 403, 200, 403, 403],
        "out": [302, 200, 403, 404, 403, 403]},
    "enterprises:massorg_create": {
        "in": [302, 405, 403, 405, 403, 403],
        "out": [302, 405, 403, 405, 403, 403]},
    "enterprises:massorg_dissolve": {
        "in": [302, 405, 403, 405, 403, 403],
        "out": [302, 405, 403, 405, 403, 403]},
    "enterprises:partyorg_create": {"in": [302, 200, 403, 403, 403, 403]},
    "enterprises:partyorg_detail": {
        "in": [302, 200, 200, 200, 200, 403],
        "out": [302, 200, 200, 404, 200, 403]},
    "enterprises:partyorg_dissolve": {
        "in": [302, 405, 403, 403, 403, 403],
        "out": [302, 405, 403, 403, 403, 403]},
    "enterprises:partyorg_list": {"in": [302, 200, 200, 200, 200, 403]},
    "enterprises:partyorg_update": {
        "in": [302, 200, 403, 403, 403, 403],
        "out": [302, 200, 403, 403, 403, 403]},
    "enterprises:workforce_create": {
        "in": [302, 405, 403, 405, 403, 403],
        "out": [302, 405, 403, 405, 403, 403]},
    "enterprises:zone_list": {"in": [302, 200, 200, 200, 200, 403]},
    "healthz": {"in": [200, 200, 200, 200, 200, 200]},
    "reports:report_create": {"in": [302, 200, 403, 403, 403, 403]},
    "reports:report_detail": {"in": [302, 200, 200, 200, 200, 403], "out": [302, 200, 200, 404, 200, 403]},
    "reports:report_download": {"in": [302, 405, 405, 405, 405, 403], "out": [302, 405, 405, 405, 405, 403]},
    "reports:report_list": {"in": [302, 200, 200, 200, 200, 403]},
    "reports:report_retry": {"in": [302, 405, 403, 403, 403, 403], "out": [302, 405, 403, 403, 403, 403]},
    "reports:report_status": {"in": [302, 200, 200, 200, 200, 403], "out": [302, 200, 200, 404, 200, 403]},
    "set_language": {"in": [3020, 3020, 3020, 3020, 3020, 3020]},
    "surveys:campaign_create": {"in": [302, 200, 403, 200, 403, 403]},
    "surveys:campaign_detail": {"in": [302, 200, 200, 200, 200, 403]},
    "surveys:campaign_list": {"in": [302, 200, 200, 200, 200, 403]},
    "surveys:campaign_update": {"in": [302, 200, 403, 200, 403, 403]},
    "surveys:enterprise_options": {"in": [302, 200, 403, 200, 403, 403]},
    "surveys:follow_up_done": {"in": [302, 405, 403, 405, 403, 403], "out": [302, 405, 403, 405, 403, 403]},
    "surveys:visit_apply_workforce": {
        "in": [302, 405, 403, 405, 403, 403],
        "out": [302, 405, 403, 405, 403, 403]},
    "surveys:visit_create": {"in": [302, 200, 403, 200, 403, 403]},
    "surveys:visit_detail": {"in": [302, 200, 200, 200, 200, 403], "out": [302, 200, 200, 404, 200, 403]},
    "surveys:visit_mass_organization": {
        "in": [302, 405, 403, 405, 403, 403],
        "out": [302, 405, 403, 405, 403, 403]},
    "surveys:visit_register_candidate": {
        "in": [302, 200, 403, 200, 403, 403],
        "out": [302, 200, 403, 404, 403, 403]},
    "surveys:visit_update": {"in": [302, 200, 403, 200, 403, 403], "out": [302, 200, 403, 404, 403, 403]},
}


# --- the world: one of everything in zone A (in scope) and zone B (out) ----------------


@pytest.fixture(scope="module")
def matrix_data(django_db_setup, django_db_blocker):
    """The zones, accounts and objects the table asks about, written once for
    the module (the table's 500-odd requests read them; a test's writes are
    rolled back after it: tests/conftest.py's module_data)."""
    with module_data(django_db_blocker):
        zone_a, zone_b = make_zone_a(), make_zone_b()
        users = make_role_users(zone_a)
        yield {"zone_a": zone_a, "zone_b": zone_b, **users,
               "world": _build_world(zone_a, zone_b, **users)}


# The shared rows stand in for the fixtures of the same names (a module that
# imports ``world`` imports these too).
@pytest.fixture
def world(matrix_data, db):
    return matrix_data["world"]


@pytest.fixture
def zone_a(matrix_data, db):
    return matrix_data["zone_a"]


@pytest.fixture
def zone_b(matrix_data, db):
    return matrix_data["zone_b"]


@pytest.fixture
def pc_officer(matrix_data, db):
    return matrix_data["pc_officer"]


@pytest.fixture
def pc_leader(matrix_data, db):
    return matrix_data["pc_leader"]


@pytest.fixture
def iz_officer(matrix_data, db):
    return matrix_data["iz_officer"]


@pytest.fixture
def iz_leader(matrix_data, db):
    return matrix_data["iz_leader"]


@pytest.fixture
def administrator(matrix_data, db):
    return matrix_data["administrator"]


def _build_world(zone_a, zone_b, pc_officer, pc_leader, iz_officer, iz_leader, administrator):
    users = {"pc_officer": pc_officer, "pc_leader": pc_leader, "iz_officer": iz_officer,
             "iz_leader": iz_leader, "admin": administrator}
    objects: dict[str, dict[str, object]] = {"in": {}, "out": {}}
    plan = CoordinationPlan.objects.create(year=2026, title="Kế hoạch 2026",
                                           status=CoordinationPlan.Status.APPROVED,
                                           approved_by=pc_leader, approved_at=timezone.now())
    group = Committee.objects.create(kind=Committee.Kind.WORKING_GROUP, name="Tổ công tác",
                                     decision_number="1-QĐ", decided_on=date(2026, 1, 2),
                                     term_start=date(2026, 1, 2))
    campaign = SurveyCampaign.objects.create(name="Đợt 1", working_group=group,
                                             starts_on=date(2026, 3, 1), ends_on=date(2026, 6, 30),
                                             created_by=pc_officer)
    for side, zone in (("in", zone_a), ("out", zone_b)):
        enterprise = EnterpriseFactory(zone=zone)
        campaign.enterprises.add(enterprise)
        o = objects[side]
        o["zone"] = zone
        o["enterprise"] = enterprise
        o["massorg"] = MassOrganizationFactory(enterprise=enterprise)
        o["partyorg"] = PartyOrganizationFactory(enterprise=enterprise)
        o["member"] = make_member(enterprise=enterprise, admitted_on=date(2024, 1, 5))
        o["placement"] = o["member"].placements.get()
        o["candidate"] = make_candidate(enterprise=enterprise)
        o["founding"] = Founding.objects.create(enterprise=EnterpriseFactory(zone=zone),
                                                started_on=date(2026, 1, 5))
        o["target"] = PlanTarget.objects.create(plan=plan, indicator="members_new", zone=zone,
                                                target_value=10)
        o["visit"] = SurveyVisit.objects.create(
            campaign=campaign, enterprise=enterprise, visited_on=date(2026, 4, 2),
            owner_attitude="neutral", classification="B", recorded_by=pc_officer)
        o["follow_up"] = FollowUp.objects.create(visit=o["visit"], action="Gặp chủ doanh nghiệp",
                                                 due_on=date(2026, 5, 1))
        o["report"] = Report.objects.create(
            kind=Report.Kind.ON_DEMAND, period="2026-Q1", zone=zone, personal=False,
            status=Report.Status.READY, generated_at=timezone.now(),
            file=ContentFile(b"PK\x03\x04", name="r.xlsx"), size=4)
        o["attachment"] = _attachment(o["visit"], pc_officer)
        o["document"] = DossierDocument.objects.create(
            candidate=o["candidate"], kind=DossierDocument.Kind.CERTIFICATE,
            issued_on=date(2025, 3, 1), file=ContentFile(b"%PDF-1.4\n", name="cn.pdf"),
            original_name="cn.pdf", mime_type="application/pdf", size=9)
        o["letter"] = Correspondence.objects.create(
            direction="pc_to_iz", number=f"15-CV/ĐUK-{side}", dated=date(2026, 3, 2),
            subject="Đề nghị cung cấp danh sách doanh nghiệp", reply_due_on=date(2026, 3, 20))
        o["letter"].enterprises.add(enterprise)
    # Objects without a zone: "in" for everyone who may see them at all.
    shared = {
        "access_request": account_services.account_password_set(
            actor=administrator, user=pc_officer, password="Mat-khau-moi-2026!"),
        "plan": plan, "committee": group, "campaign": campaign,
        "iz_task": PlanTask.objects.create(plan=plan, content="Việc của BQL", due_on=date(2026, 9, 1),
                                           lead_side=PlanTask.LeadSide.IZ_BOARD),
        "pc_task": PlanTask.objects.create(plan=plan, content="Việc của Đảng ủy",
                                           due_on=date(2026, 9, 1),
                                           lead_side=PlanTask.LeadSide.PARTY_COMMITTEE),
        "province_report": Report.objects.create(
            kind=Report.Kind.ON_DEMAND, period="2026-Q1", zone=None, personal=True,
            status=Report.Status.READY, generated_at=timezone.now(),
            file=ContentFile(b"PK\x03\x04", name="r.xlsx"), size=4),
    }
    meeting = Meeting.objects.create(kind="steering", held_on=date(2026, 3, 10),
                                     place="Phòng họp", agenda="Sơ kết quý I")
    shared.update({
        "regulation": Regulation.objects.create(
            number="01-QC/ĐUK-BQL", title="Quy chế phối hợp", signed_on=date(2025, 9, 24),
            effective_from=date(2025, 9, 24), party_signatory_name="Nguyễn Văn Thành",
            party_signatory_title="Bí thư", iz_signatory_name="Lê Quốc Hưng",
            iz_signatory_title="Trưởng ban"),
        "meeting": meeting,
        "conclusion": Conclusion.objects.create(meeting=meeting, text="Rà soát doanh nghiệp",
                                                lead_side="both", owner=pc_officer,
                                                due_on=date(2026, 4, 30)),
    })
    objects["in"].update(shared)
    for side, finished in (("in", True), ("out", False)):
        review = review_services.review_create(data={
            "kind": "interim", "regulation": shared["regulation"], "subject": f"Sơ kết {side}",
            "period_kind": "year", "period_start": date(2025, 1, 1),
            "period_end": date(2025, 12, 31), "number": "", "place": "Nam Định",
            "dated": date(2026, 1, 15), "joint": False, "signer_title": "PHÓ BÍ THƯ",
            "signer_name": "Trần Văn Quang", "results": "Kết quả"})
        objects[side]["review_target"] = review_services.review_target_create(
            review=review, data={"indicator": "members_new", "zone": None, "target_value": 5,
                                 "note": ""})
        objects[side]["commendation"] = review_services.commendation_create(
            review=review, data={"recipient": "collective", "enterprise": objects[side][
                "enterprise"], "party_organization": None, "member": None,
                "award": "certificate", "awarded_by": "Ban Thường vụ", "proposed_by": "both",
                "reason": "Thành tích"})
        objects[side]["review"] = review_services.review_finish(review=review) if finished \
            else review
    # Per-user objects (each account's own notification and import run).
    own = {}
    for key, user in users.items():
        own[key] = {
            "notification": Notification.objects.create(recipient=user, key="k", title="t",
                                                        day=date(2026, 1, 1)),
            "import_run": ImportRun.objects.create(kind="enterprises", original_name="a.xlsx",
                                                   uploaded_by=user, as_of=date(2026, 1, 1),
                                                   file=ContentFile(b"x", name="a.xlsx")),
            "export_job": ExportJob.objects.create(
                kind="enterprises", row_count=300, requested_by=user, status="done",
                finished_at=timezone.now(), file=ContentFile(b"PK\x03\x04", name="e.xlsx"),
                size=4, rows_written=300),
        }
    return {"users": users, "objects": objects, "own": own}


def _attachment(owner, user):
    return Attachment.objects.create(
        content_type=ContentType.objects.get_for_model(owner), object_id=owner.pk,
        file=ContentFile(b"%PDF-1.4\n", name="x.pdf"), original_name="bien-ban.pdf",
        mime_type="application/pdf", size=9, uploaded_by=user)


# --- the URLs ---------------------------------------------------------------------------


def _walk(patterns, ns=None):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            space = pattern.namespace
            if space == "admin":
                continue
            yield from _walk(pattern.url_patterns,
                             f"{ns}:{space}" if ns and space else (space or ns))
        elif isinstance(pattern, URLPattern) and pattern.name:
            yield (f"{ns}:{pattern.name}" if ns else pattern.name), pattern


def project_urls() -> dict[str, URLPattern]:
    return dict(_walk(get_resolver().url_patterns))


# Which object fills a URL's kwargs ("pk" unless said otherwise); "own:" = the account's own.
OBJECT_OF = {
    "accounts:access_request_detail": "access_request",
    "accounts:access_request_decide": "access_request",
    "api:zone_detail": "zone",
    "api:enterprise_detail": "enterprise",
    "api:massorg_detail": "massorg",
    "api:partyorg_detail": "partyorg",
    "api:member_detail": "member",
    "api:candidate_detail": "candidate",
    "api:plan_detail": "plan",
    "api:report_detail": "report",
    "api:report_download": "report",
    "enterprises:enterprise_detail": "enterprise",
    "enterprises:enterprise_update": "enterprise",
    "enterprises:workforce_create": "enterprise",
    "enterprises:massorg_create": "enterprise",
    "enterprises:partyorg_detail": "partyorg",
    "enterprises:partyorg_update": "partyorg",
    "enterprises:partyorg_dissolve": "partyorg",
    "coordination:candidate_detail": "candidate",
    "coordination:candidate_update": "candidate",
    "coordination:candidate_advance": "candidate",
    "coordination:candidate_close": "candidate",
    "coordination:candidate_extend": "candidate",
    "coordination:candidate_subject_file": "candidate",
    "coordination:candidate_document_create": "candidate",
    "coordination:candidate_decision_document": "candidate",
    "coordination:dossier_document_update": "document",
    "coordination:dossier_document_file": "document",
    "coordination:partyorg_candidates_document": "partyorg",
    "coordination:member_recognition_resolution_document": "member",
    "coordination:member_recognition_decision_document": "member",
    "coordination:member_subject_file": "member",
    "coordination:member_detail": "member",
    "coordination:member_update": "member",
    "coordination:member_leave": "member",
    "coordination:member_move": "member",
    "coordination:member_transfer_out": "member",
    "coordination:member_return": "member",
    "coordination:placement_correct": "placement",
    "coordination:member_recognise": "member",
    "coordination:plan_detail": "plan",
    "coordination:plan_update": "plan",
    "coordination:plan_approve": "plan",
    "coordination:plan_close": "plan",
    "coordination:plan_copy": "plan",
    "coordination:target_create": "plan",
    "coordination:target_update": "target",
    "coordination:target_delete": "target",
    "coordination:task_create": "plan",
    "coordination:committee_detail": "committee",
    "coordination:founding_detail": "founding",
    "coordination:founding_step": "founding",
    "coordination:founding_abandon": "founding",
    "coordination:committee_update": "committee",
    "surveys:campaign_detail": "campaign",
    "surveys:campaign_update": "campaign",
    "surveys:visit_create": "campaign",
    "surveys:visit_detail": "visit",
    "surveys:visit_update": "visit",
    "surveys:visit_apply_workforce": "visit",
    "surveys:visit_register_candidate": "visit",
    "surveys:follow_up_done": "follow_up",
    "reports:report_detail": "report",
    "reports:report_status": "report",
    "reports:report_retry": "report",
    "reports:report_download": "report",
    "core:attachment_download": "attachment",
    "coordination:regulation_detail": "regulation",
    "coordination:regulation_update": "regulation",
    "coordination:meeting_detail": "meeting",
    "coordination:meeting_update": "meeting",
    "coordination:conclusion_create": "meeting",
    "coordination:conclusion_update": "conclusion",
    "coordination:conclusion_make_task": "conclusion",
    "coordination:conclusion_delete": "conclusion",
    "coordination:correspondence_detail": "letter",
    "coordination:correspondence_update": "letter",
    "coordination:correspondence_reply": "letter",
    "coordination:review_detail": "review",
    "coordination:review_update": "review",
    "coordination:review_finish": "review",
    "coordination:review_reopen": "review",
    "coordination:review_target_create": "review",
    "coordination:review_target_delete": "review_target",
    "coordination:review_targets_to_plan": "review",
    "coordination:review_commendation_create": "review",
    "coordination:review_commendation_delete": "commendation",
    "coordination:review_document": "review",
    "coordination:review_document_status": "review",
    "coordination:review_document_retry": "review",
    "core:notification_open": "own:notification",
    "core:import_preview": "own:import_run",
    "core:import_confirm": "own:import_run",
    "core:import_errors": "own:import_run",
    "core:export_status": "own:export_job",
    "core:export_download": "own:export_job",
}
# Task pages are checked on both sides' tasks: "in" = an IZ-side task, "out" = a PC-side one.
for _name in ("task_detail", "task_update", "task_progress", "task_delete"):
    OBJECT_OF[f"coordination:{_name}"] = "task"


def url_for(name: str, pattern: URLPattern, world, side: str, role: str) -> str:
    params = list(pattern.pattern.converters)
    if not params:
        return reverse(name)
    objects = world["objects"][side]
    kwargs = {}
    if name == "enterprises:massorg_dissolve":
        kwargs = {"pk": objects["enterprise"].pk, "org_pk": objects["massorg"].pk}
    elif name == "surveys:visit_mass_organization":
        kwargs = {"pk": objects["visit"].pk, "kind": "trade_union"}
    elif name == "coordination:founding_start":
        kwargs = {"enterprise_pk": objects["founding"].enterprise_id}
    elif name in ("core:import_upload", "core:import_template"):
        kwargs = {"kind": "enterprises"}
    else:
        key = OBJECT_OF[name]
        if key.startswith("own:"):
            user_key = role if role != "anon" else "pc_officer"
            obj = world["own"][user_key][key[4:]]
        elif key == "task":
            obj = world["objects"]["in"]["iz_task" if side == "in" else "pc_task"]
        elif key == "report" and side == "in" and role in ("pc_officer", "pc_leader"):
            obj = objects["report"]
        else:
            obj = objects.get(key) or world["objects"]["in"][key]
        kwargs = {"pk": obj.pk}
    return reverse(name, kwargs=kwargs)


def answer(client, world, role: str, url: str) -> int:
    client.logout()
    if role != "anon":
        client.force_login(world["users"][role])
    response = client.get(url)
    if response.status_code == 302 and "/accounts/login/" in response["Location"]:
        return 302
    if response.status_code == 302:
        return 3020  # a redirect elsewhere (e.g. after an action)
    return response.status_code


# URLs whose object is not zoned (or is the account's own): one column of answers.
SINGLE = {
    "accounts:access_request_detail", "accounts:access_request_decide",
    "core:import_upload", "core:import_template", "core:notification_open", "core:import_preview",
    "core:import_confirm", "core:import_errors", "core:export_status", "core:export_download",
    "coordination:plan_detail", "coordination:plan_update",
    "coordination:plan_approve", "coordination:plan_close", "coordination:plan_copy",
    "coordination:target_create", "coordination:task_create", "coordination:committee_detail",
    "coordination:committee_update", "surveys:campaign_detail", "surveys:campaign_update",
    "surveys:visit_create", "coordination:regulation_detail", "coordination:regulation_update",
    "coordination:meeting_detail", "coordination:meeting_update",
    "coordination:conclusion_create", "coordination:conclusion_update",
    "coordination:conclusion_make_task", "coordination:conclusion_delete",
    "api:plan_detail",
}


# --- the tests --------------------------------------------------------------------------


def test_every_url_of_the_project_is_in_the_table():
    names = set(project_urls())
    assert names - set(EXPECTED) == set(), "add the new URLs to EXPECTED"
    assert set(EXPECTED) - names == set(), "remove URLs that no longer exist from EXPECTED"


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_answers_match_the_table(client, world, name):
    pattern = project_urls()[name]
    got = {side: [answer(client, world, role, url_for(name, pattern, world, side, role))
                  for role in ROLES]
           for side in EXPECTED[name]}
    assert got == EXPECTED[name]


def test_zoned_objects_are_checked_on_both_sides():
    for name, pattern in project_urls().items():
        if pattern.pattern.converters and name not in SINGLE:
            assert set(EXPECTED[name]) == {"in", "out"}, name
