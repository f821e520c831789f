"""The reports' place in the menu (see core.navigation)."""

from django.utils.translation import gettext_lazy as _

from accounts.policy import Perm
from core import navigation

navigation.register(
    navigation.NavItem(_("Reports"), "reports:report_list", "file-earmark-spreadsheet",
                       Perm.DOWNLOAD_REPORTS, "reports", order=50),
)
