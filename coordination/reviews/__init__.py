"""Periodic reviews of the coordination regulation (sơ kết / tổng kết,
DESIGN §7): the review with its frozen figures and narrative, the targets
agreed for the next period, the commendations proposed, and the Word review
report in the party document format.

The models belong to the ``coordination`` app (``coordination.models``
imports them); the rules are in :mod:`.rules` and :mod:`.services`.
"""
