"""The reviews' pages, in the ``coordination`` namespace (``coordination.urls``
adds these patterns to its own)."""

from django.urls import path

from . import views

urlpatterns = [
    path("reviews/", views.review_list, name="review_list"),
    path("reviews/new/", views.review_create, name="review_create"),
    path("reviews/<int:pk>/", views.review_detail, name="review_detail"),
    path("reviews/<int:pk>/edit/", views.review_update, name="review_update"),
    path("reviews/<int:pk>/finish/", views.review_finish, name="review_finish"),
    path("reviews/<int:pk>/reopen/", views.review_reopen, name="review_reopen"),
    path("reviews/<int:pk>/targets/new/", views.review_target_create,
         name="review_target_create"),
    path("reviews/targets/<int:pk>/delete/", views.review_target_delete,
         name="review_target_delete"),
    path("reviews/<int:pk>/targets/to-plan/", views.review_targets_to_plan,
         name="review_targets_to_plan"),
    path("reviews/<int:pk>/commendations/new/", views.commendation_create,
         name="review_commendation_create"),
    path("reviews/commendations/<int:pk>/delete/", views.commendation_delete,
         name="review_commendation_delete"),
    path("reviews/<int:pk>/document/", views.review_document, name="review_document"),
    path("reviews/<int:pk>/document/status/", views.review_document_status,
         name="review_document_status"),
    path("reviews/<int:pk>/document/retry/", views.review_document_retry,
         name="review_document_retry"),
]
