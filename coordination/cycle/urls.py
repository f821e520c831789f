"""The regulation, meeting and correspondence pages, in the ``coordination``
namespace (``coordination.urls`` adds these patterns to its own)."""

from django.urls import path

from . import views

urlpatterns = [
    path("regulation/", views.regulation, name="regulation"),
    path("regulation/new/", views.regulation_create, name="regulation_create"),
    path("regulation/<int:pk>/", views.regulation_detail, name="regulation_detail"),
    path("regulation/<int:pk>/edit/", views.regulation_update, name="regulation_update"),
    path("meetings/", views.meeting_list, name="meeting_list"),
    path("meetings/new/", views.meeting_create, name="meeting_create"),
    path("meetings/<int:pk>/", views.meeting_detail, name="meeting_detail"),
    path("meetings/<int:pk>/edit/", views.meeting_update, name="meeting_update"),
    path("meetings/<int:pk>/conclusions/new/", views.conclusion_create,
         name="conclusion_create"),
    path("meetings/conclusions/<int:pk>/edit/", views.conclusion_update,
         name="conclusion_update"),
    path("meetings/conclusions/<int:pk>/task/", views.conclusion_make_task,
         name="conclusion_make_task"),
    path("meetings/conclusions/<int:pk>/delete/", views.conclusion_delete,
         name="conclusion_delete"),
    path("correspondence/", views.correspondence_list, name="correspondence_list"),
    path("correspondence/new/", views.correspondence_create, name="correspondence_create"),
    path("correspondence/<int:pk>/", views.correspondence_detail,
         name="correspondence_detail"),
    path("correspondence/<int:pk>/edit/", views.correspondence_update,
         name="correspondence_update"),
    path("correspondence/<int:pk>/reply/", views.correspondence_reply,
         name="correspondence_reply"),
]
