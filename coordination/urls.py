from django.urls import path

from . import views
from .cycle.urls import urlpatterns as cycle_urlpatterns
from .dossier.urls import urlpatterns as dossier_urlpatterns
from .founding.urls import urlpatterns as founding_urlpatterns
from .moves.urls import urlpatterns as move_urlpatterns
from .plans.urls import urlpatterns as plan_urlpatterns
from .reviews.urls import urlpatterns as review_urlpatterns

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
    path("candidates/<int:pk>/extend/", views.candidate_extend, name="candidate_extend"),
    path("candidates/<int:pk>/personal-data/", views.candidate_subject_file,
         name="candidate_subject_file"),
    path("members/", views.member_list, name="member_list"),
    path("members/export/", views.member_export, name="member_export"),
    path("members/new/", views.member_create, name="member_create"),
    path("members/<int:pk>/", views.member_detail, name="member_detail"),
    path("members/<int:pk>/edit/", views.member_update, name="member_update"),
    path("members/<int:pk>/recognise/", views.member_recognise, name="member_recognise"),
    path("members/<int:pk>/personal-data/", views.member_subject_file,
         name="member_subject_file"),
    path("recognition-due/", views.recognition_due, name="recognition_due"),
    path("qualifying/", views.qualifying, name="qualifying"),
]

# Where members work and attend over time: moves, transfers, corrections.
urlpatterns += move_urlpatterns

# The coordination regulation at work: committees, annual plans, targets, tasks.
urlpatterns += plan_urlpatterns

# The regulation's working cycle: the regulation, meetings, correspondence.
urlpatterns += cycle_urlpatterns

# Periodic reviews of the regulation and their Word reports.
urlpatterns += review_urlpatterns

# Founding party organizations in enterprises that have none.
urlpatterns += founding_urlpatterns

# The candidates' dossiers and the Word documents officers sign.
urlpatterns += dossier_urlpatterns
