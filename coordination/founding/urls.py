"""The founding pages, in the ``coordination`` namespace."""

from django.urls import path

from . import views

urlpatterns = [
    path("founding/", views.founding_board, name="founding_board"),
    path("founding/<int:pk>/", views.founding_detail, name="founding_detail"),
    path("founding/<int:pk>/next-step/", views.founding_step, name="founding_step"),
    path("founding/<int:pk>/abandon/", views.founding_abandon, name="founding_abandon"),
    path("founding/start/<int:enterprise_pk>/", views.founding_start, name="founding_start"),
]
