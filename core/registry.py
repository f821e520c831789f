"""What the apps contribute to the layers below them, found like admin.py.

:func:`autodiscover` (called once from ``CoreConfig.ready``) imports these
modules of every installed app, in INSTALLED_APPS order, when they exist;
each registers its contributions into a registry of core at import:

- ``indicators``: figures of the catalogue (:func:`core.indicators.register`);
- ``panels``: parts of another app's page (:func:`core.panels.register`);
- ``quality``: data-review checks (:func:`core.quality.register`);
- ``reminders``: daily reminders (:func:`core.notifications.register_reminders`);
- ``importers`` / ``exporting``: workbook kinds (:func:`register_importers`,
  :func:`register_exporters`);
- ``demo``: demo data for ``seed_demo`` (:func:`register_demo`);
- ``attachments``: who may see and add an owner's files
  (:func:`core.attachments.register_owner`);
- ``navigation``: areas of the menu (:func:`core.navigation.register`,
  :func:`core.navigation.register_pages`);
- ``retention``: what is pseudonymised and when (:func:`core.retention.register`).

So no app imports one above it, and core names no app.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.apps import apps
from django.utils.module_loading import autodiscover_modules

MODULES = ("indicators", "panels", "quality", "reminders", "importers", "exporting", "demo",
           "attachments", "navigation", "retention")


def autodiscover() -> None:
    # Every app's indicators first: any other module may read the catalogue.
    autodiscover_modules("indicators")
    autodiscover_modules(*MODULES[1:])


# --- workbook kinds, for the import and export commands and pages ------------------------

_importers: dict[str, type] = {}
_exporters: dict[str, tuple[Callable, Callable]] = {}


def register_importers(kinds: dict[str, type]) -> None:
    """Offer ``{kind: Importer subclass}`` to the import command and page."""
    _importers.update(kinds)


def register_exporters(kinds: dict[str, tuple[Callable, Callable]]) -> None:
    """Offer ``{kind: (export(queryset, target), all_rows)}`` to the export command."""
    _exporters.update(kinds)


def importers() -> dict:
    return dict(_importers)


def exporters() -> dict:
    return dict(_exporters)


# --- demo data -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Demo:
    """An app's demo data: ``seed(ctx)`` fills it in; ``present()`` tells
    whether the database already has data of that app (None: never asked)."""

    app_label: str
    seed: Callable
    present: Callable[[], bool] | None = None


_demos: dict[str, Demo] = {}


def register_demo(seed: Callable, *, present: Callable[[], bool] | None = None) -> None:
    """Register the calling app's demo data (``seed`` is in its ``demo`` module)."""
    app = apps.get_containing_app_config(seed.__module__)
    _demos[app.label] = Demo(app_label=app.label, seed=seed, present=present)


def demos() -> list[Demo]:
    """The apps' demo data in INSTALLED_APPS order, so an app's data comes
    after the data of the apps it builds on."""
    order = [config.label for config in apps.get_app_configs()]
    return sorted(_demos.values(), key=lambda demo: order.index(demo.app_label))


def data_present() -> bool:
    """Whether any app says the database already has its data."""
    return any(demo.present() for demo in demos() if demo.present is not None)
