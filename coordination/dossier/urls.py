from django.urls import path

from . import views

urlpatterns = [
    path("candidates/<int:pk>/documents/new/", views.candidate_document_create,
         name="candidate_document_create"),
    path("candidates/<int:pk>/documents/9-knd/", views.candidate_decision_document,
         name="candidate_decision_document"),
    path("dossier-documents/<int:pk>/edit/", views.dossier_document_update,
         name="dossier_document_update"),
    path("dossier-documents/<int:pk>/file/", views.dossier_document_file,
         name="dossier_document_file"),
    path("organizations/<int:pk>/documents/6-knd/", views.partyorg_candidates_document,
         name="partyorg_candidates_document"),
    path("members/<int:pk>/documents/13-knd/", views.member_recognition_resolution_document,
         name="member_recognition_resolution_document"),
    path("members/<int:pk>/documents/16-knd/", views.member_recognition_decision_document,
         name="member_recognition_decision_document"),
]
