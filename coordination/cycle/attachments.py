"""Who may see and add the files of the working cycle (see core.attachments):
the regulation's signed file, a meeting's minutes, a letter's file.
Registered by coordination.attachments."""

from __future__ import annotations

from accounts.policy import Access, Perm

from . import rules


def _zones(letter) -> list:
    return list(letter.enterprises.values_list("zone_id", flat=True))


def cycle_can_view(access: Access, _obj) -> bool:
    return access.can(Perm.VIEW_PLANS)


def cycle_can_edit(access: Access, _obj) -> bool:
    return rules.may_edit_cycle(access)


def letter_can_view(access: Access, letter) -> bool:
    return rules.may_see_correspondence(access, letter, _zones(letter))


def letter_can_edit(access: Access, letter) -> bool:
    return letter_can_view(access, letter) and rules.may_record_direction(access,
                                                                          letter.direction)
