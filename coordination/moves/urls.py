from django.urls import path

from . import views

urlpatterns = [
    path("members/transfer-in/", views.member_transfer_in, name="member_transfer_in"),
    path("members/move/", views.members_move, name="members_move"),
    path("members/<int:pk>/move/", views.member_move, name="member_move"),
    path("members/<int:pk>/transfer-out/", views.member_transfer_out,
         name="member_transfer_out"),
    path("members/<int:pk>/leave/", views.member_leave, name="member_leave"),
    path("members/<int:pk>/return/", views.member_return, name="member_return"),
    path("members/periods/<int:pk>/correct/", views.placement_correct,
         name="placement_correct"),
    path("enterprise-options/", views.enterprise_options, name="enterprise_options"),
    path("organization-options/", views.organization_options, name="organization_options"),
]
