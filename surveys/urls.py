from django.urls import path

from . import views

app_name = "surveys"

urlpatterns = [
    path("", views.campaign_list, name="campaign_list"),
    path("new/", views.campaign_create, name="campaign_create"),
    path("enterprise-options/", views.enterprise_options, name="enterprise_options"),
    path("<int:pk>/", views.campaign_detail, name="campaign_detail"),
    path("<int:pk>/edit/", views.campaign_update, name="campaign_update"),
    path("<int:pk>/visits/new/", views.visit_create, name="visit_create"),
    path("visits/<int:pk>/", views.visit_detail, name="visit_detail"),
    path("visits/<int:pk>/edit/", views.visit_update, name="visit_update"),
    path("visits/<int:pk>/apply-workforce/", views.visit_apply_workforce,
         name="visit_apply_workforce"),
    path("visits/<int:pk>/mass-organization/<str:kind>/", views.visit_mass_organization,
         name="visit_mass_organization"),
    path("visits/<int:pk>/register-candidate/", views.visit_register_candidate,
         name="visit_register_candidate"),
    path("follow-ups/<int:pk>/done/", views.follow_up_done, name="follow_up_done"),
]
