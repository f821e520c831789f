"""Who may see and add the files of a survey visit (core.attachments rules)."""

from accounts.policy import Access, Perm


def can_view_visit(access: Access, visit) -> bool:
    """Accounts that see surveys, for an enterprise of their zones."""
    return access.can(Perm.VIEW_SURVEYS) and access.sees_zone(visit.enterprise.zone_id)


def can_edit_visit(access: Access, visit) -> bool:
    return access.can(Perm.RECORD_SURVEYS) and access.sees_zone(visit.enterprise.zone_id)
