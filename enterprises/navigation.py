"""The registry's place in the menu (see core.navigation)."""

from django.utils.translation import gettext_lazy as _

from accounts.policy import Perm
from core import navigation

navigation.register(
    navigation.NavItem(_("Enterprises"), "enterprises:enterprise_list", "buildings",
                       Perm.VIEW_REGISTRY, "enterprises", also=("core:data_review",), order=10),
)
