from django.urls import path

from . import import_views, views

app_name = "core"

urlpatterns = [
    path("", views.home, name="home"),
    path("attachments/<int:pk>/", views.attachment_download, name="attachment_download"),
    path("imports/<slug:kind>/", import_views.upload, name="import_upload"),
    path("imports/<slug:kind>/template.xlsx", import_views.template, name="import_template"),
    path("imports/run/<int:pk>/", import_views.preview, name="import_preview"),
    path("imports/run/<int:pk>/confirm/", import_views.confirm, name="import_confirm"),
]
