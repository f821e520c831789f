"""Survey campaigns belong to the plans' area of the menu (see core.navigation)."""

from core import navigation

navigation.register_pages("plans", "surveys:campaign_list")
