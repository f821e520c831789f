"""The plan, task and committee pages, in the ``coordination`` namespace
(``coordination.urls`` adds these patterns to its own)."""

from django.urls import path

from . import views

urlpatterns = [
    path("plans/", views.plan_list, name="plan_list"),
    path("plans/new/", views.plan_create, name="plan_create"),
    path("plans/<int:pk>/", views.plan_detail, name="plan_detail"),
    path("plans/<int:pk>/edit/", views.plan_update, name="plan_update"),
    path("plans/<int:pk>/approve/", views.plan_approve, name="plan_approve"),
    path("plans/<int:pk>/close/", views.plan_close, name="plan_close"),
    path("plans/<int:pk>/copy/", views.plan_copy, name="plan_copy"),
    path("plans/<int:pk>/targets/new/", views.target_create, name="target_create"),
    path("plans/targets/<int:pk>/edit/", views.target_update, name="target_update"),
    path("plans/targets/<int:pk>/delete/", views.target_delete, name="target_delete"),
    path("plans/<int:pk>/tasks/new/", views.task_create, name="task_create"),
    path("plans/tasks/", views.task_list, name="task_list"),
    path("plans/tasks/<int:pk>/", views.task_detail, name="task_detail"),
    path("plans/tasks/<int:pk>/edit/", views.task_update, name="task_update"),
    path("plans/tasks/<int:pk>/progress/", views.task_progress, name="task_progress"),
    path("plans/tasks/<int:pk>/delete/", views.task_delete, name="task_delete"),
    path("committees/", views.committee_list, name="committee_list"),
    path("committees/new/", views.committee_create, name="committee_create"),
    path("committees/<int:pk>/", views.committee_detail, name="committee_detail"),
    path("committees/<int:pk>/edit/", views.committee_update, name="committee_update"),
]
