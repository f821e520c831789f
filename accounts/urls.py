from django.contrib.auth import views as auth_views
from django.urls import path

from . import mfa_views, views

app_name = "accounts"

urlpatterns = [
    path("login/", views.LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("password/", views.PasswordChangeView.as_view(), name="password_change"),
    path(
        "password/done/",
        auth_views.PasswordChangeDoneView.as_view(
            template_name="registration/password_change_done.html"
        ),
        name="password_change_done",
    ),
    path("security/", mfa_views.security, name="security"),
    path("two-step/", mfa_views.two_step, name="two_step"),
    path("two-step/setup/", mfa_views.two_step_setup, name="two_step_setup"),
    path("two-step/change/", mfa_views.two_step_change, name="two_step_change"),
    path("two-step/backup-codes/", mfa_views.two_step_codes, name="two_step_codes"),
    path("two-step/disable/", mfa_views.two_step_disable, name="two_step_disable"),
    path("requests/", views.access_request_list, name="access_request_list"),
    path("requests/<int:pk>/", views.access_request_detail, name="access_request_detail"),
    path("requests/<int:pk>/decide/", views.access_request_decide, name="access_request_decide"),
]
