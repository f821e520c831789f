"""Founding a party organization in an enterprise that has none (DESIGN §7):
the tracked process from "qualifies" to "has its own organization"."""
