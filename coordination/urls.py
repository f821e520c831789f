from django.urls import path

from . import plan_views, views

app_name = "coordination"

urlpatterns = [
    path("", views.pipeline, name="pipeline"),
    path("candidates/", views.candidate_list, name="candidate_list"),
    path("candidates/export/", views.candidate_export, name="candidate_export"),
    path("candidates/new/", views.candidate_create, name="candidate_create"),
    path("candidates/helper-options/", views.helper_options, name="helper_options"),
    path("candidates/<int:pk>/", views.candidate_detail, name="candidate_detail"),
    path("candidates/<int:pk>/edit/", views.candidate_update, name="candidate_update"),
    path("candidates/<int:pk>/next-step/", views.candidate_advance, name="candidate_advance"),
    path("candidates/<int:pk>/close/", views.candidate_close, name="candidate_close"),
    path("members/", views.member_list, name="member_list"),
    path("members/export/", views.member_export, name="member_export"),
    path("members/new/", views.member_create, name="member_create"),
    path("members/<int:pk>/", views.member_detail, name="member_detail"),
    path("members/<int:pk>/edit/", views.member_update, name="member_update"),
    path("members/<int:pk>/leave/", views.member_leave, name="member_leave"),
    path("members/<int:pk>/recognise/", views.member_recognise, name="member_recognise"),
    path("recognition-due/", views.recognition_due, name="recognition_due"),
    path("qualifying/", views.qualifying, name="qualifying"),
]

# The coordination regulation at work: committees, annual plans, targets, tasks.
urlpatterns += [
    path("plans/", plan_views.plan_list, name="plan_list"),
    path("plans/new/", plan_views.plan_create, name="plan_create"),
    path("plans/<int:pk>/", plan_views.plan_detail, name="plan_detail"),
    path("plans/<int:pk>/edit/", plan_views.plan_update, name="plan_update"),
    path("plans/<int:pk>/approve/", plan_views.plan_approve, name="plan_approve"),
    path("plans/<int:pk>/close/", plan_views.plan_close, name="plan_close"),
    path("plans/<int:pk>/copy/", plan_views.plan_copy, name="plan_copy"),
    path("plans/<int:pk>/targets/new/", plan_views.target_create, name="target_create"),
    path("plans/targets/<int:pk>/edit/", plan_views.target_update, name="target_update"),
    path("plans/targets/<int:pk>/delete/", plan_views.target_delete, name="target_delete"),
    path("plans/<int:pk>/tasks/new/", plan_views.task_create, name="task_create"),
    path("plans/tasks/", plan_views.task_list, name="task_list"),
    path("plans/tasks/<int:pk>/", plan_views.task_detail, name="task_detail"),
    path("plans/tasks/<int:pk>/edit/", plan_views.task_update, name="task_update"),
    path("plans/tasks/<int:pk>/progress/", plan_views.task_progress, name="task_progress"),
    path("plans/tasks/<int:pk>/delete/", plan_views.task_delete, name="task_delete"),
    path("committees/", plan_views.committee_list, name="committee_list"),
    path("committees/new/", plan_views.committee_create, name="committee_create"),
    path("committees/<int:pk>/", plan_views.committee_detail, name="committee_detail"),
    path("committees/<int:pk>/edit/", plan_views.committee_update, name="committee_update"),
]
