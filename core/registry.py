"""Workbook kinds offered by the apps, for the import/export commands.

Each app that offers kinds exposes ``IMPORTERS`` and/or ``EXPORTERS`` in the
modules listed here; the commands compose them without importing the apps'
code at module level (the apps stay layered).
"""

from importlib import import_module

IMPORTER_MODULES = ["enterprises.importers", "coordination.importers"]
EXPORTER_MODULES = ["enterprises.exporting", "coordination.exporting"]


def _collect(modules, attribute):
    found = {}
    for path in modules:
        try:
            module = import_module(path)
        except ModuleNotFoundError as exc:
            if exc.name != path:
                raise
            continue
        found.update(getattr(module, attribute, {}))
    return found


def importers() -> dict:
    return _collect(IMPORTER_MODULES, "IMPORTERS")


def exporters() -> dict:
    return _collect(EXPORTER_MODULES, "EXPORTERS")
