from django.urls import path

from . import views

app_name = "enterprises"

urlpatterns = [
    path("", views.enterprise_list, name="enterprise_list"),
    path("export/", views.enterprise_export, name="enterprise_export"),
    path("new/", views.enterprise_create, name="enterprise_create"),
    path("zones/", views.zone_list, name="zone_list"),
    path("<int:pk>/", views.enterprise_detail, name="enterprise_detail"),
    path("<int:pk>/edit/", views.enterprise_update, name="enterprise_update"),
    path("<int:pk>/workforce/", views.workforce_create, name="workforce_create"),
    path("<int:pk>/mass-organizations/", views.massorg_create, name="massorg_create"),
    path("<int:pk>/mass-organizations/<int:org_pk>/dissolve/", views.massorg_dissolve,
         name="massorg_dissolve"),
    path("party-organizations/", views.partyorg_list, name="partyorg_list"),
    path("party-organizations/new/", views.partyorg_create, name="partyorg_create"),
    path("party-organizations/<int:pk>/", views.partyorg_detail, name="partyorg_detail"),
    path("party-organizations/<int:pk>/edit/", views.partyorg_update, name="partyorg_update"),
    path("party-organizations/<int:pk>/dissolve/", views.partyorg_dissolve,
         name="partyorg_dissolve"),
]
