"""Pages of where members work and attend over time: the member's periods,
moves, transfers in and out, leaving the rolls, corrections and the bulk
move. The writes are :mod:`coordination.placements` (and
:func:`coordination.services.member_create` for a member transferred in)."""
