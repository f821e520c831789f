"""The Excel (.xlsx) layer that every import and export is built on.

- ``values``: forgiving parsers for single cell values (dates, numbers, yes/no, choices).
- ``reader``: hostile-file checks and reading one table out of a real-world spreadsheet.
- ``writer``: a streaming writer that never lets text become a formula, and import templates.
"""
