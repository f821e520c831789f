from django.urls import path

from . import export_views, import_views, notification_views, views

app_name = "core"

urlpatterns = [
    path("", views.home, name="home"),
    path("data-review/", views.data_review, name="data_review"),
    path("privacy/", views.processing_register, name="processing_register"),
    path("notifications/", notification_views.notification_list, name="notification_list"),
    path("notifications/<int:pk>/open/", notification_views.notification_open, name="notification_open"),
    path("notifications/read-all/", notification_views.notification_read_all,
         name="notification_read_all"),
    path("attachments/<int:pk>/", views.attachment_download, name="attachment_download"),
    path("exports/", export_views.export_list, name="export_list"),
    path("exports/<int:pk>/", export_views.export_status, name="export_status"),
    path("exports/<int:pk>/download/", export_views.export_download, name="export_download"),
    path("imports/<slug:kind>/", import_views.upload, name="import_upload"),
    path("imports/<slug:kind>/template.xlsx", import_views.template, name="import_template"),
    path("imports/run/<int:pk>/", import_views.preview, name="import_preview"),
    path("imports/run/<int:pk>/confirm/", import_views.confirm, name="import_confirm"),
    path("imports/run/<int:pk>/errors.xlsx", import_views.errors_workbook, name="import_errors"),
]
