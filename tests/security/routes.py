"""Every named URL of the apps, read from the URL resolver at collection time.

Pages other people add later are picked up without touching these tests.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.urls import URLPattern, URLResolver, get_resolver

APP_NAMESPACES = ("enterprises", "coordination", "surveys", "reports", "core")
# The object a URL's ``pk`` is about, from the start of the URL's name.
PK_OWNERS = (
    ("import_", "import_run"),
    ("notification", "notification"),
    ("enterprise", "enterprise"),
    ("workforce", "enterprise"),
    ("massorg", "enterprise"),
    ("partyorg", "partyorg"),
    ("candidate", "candidate"),
    ("member", "member"),
    ("zone", "zone"),
)
OTHER_KWARGS = {"org_pk": "massorg"}


@dataclass(frozen=True)
class Route:
    name: str  # "namespace:name"
    converters: tuple[tuple[str, str], ...]  # (kwarg, converter class name)

    @property
    def short_name(self) -> str:
        return self.name.rsplit(":", 1)[-1]

    def __str__(self) -> str:
        return self.name


def all_routes(namespaces=APP_NAMESPACES) -> list[Route]:
    found: dict[str, Route] = {}

    def walk(patterns, namespace, converters):
        for pattern in patterns:
            here = {**converters, **getattr(pattern.pattern, "converters", {})}
            if isinstance(pattern, URLResolver):
                inner = namespace
                if pattern.namespace:
                    inner = f"{namespace}:{pattern.namespace}" if namespace else pattern.namespace
                walk(pattern.url_patterns, inner, here)
            elif isinstance(pattern, URLPattern) and pattern.name and namespace:
                if namespace.split(":")[0] not in namespaces:
                    continue
                name = f"{namespace}:{pattern.name}"
                found.setdefault(name, Route(name, tuple(
                    (key, type(conv).__name__) for key, conv in sorted(here.items()))))

    walk(get_resolver().url_patterns, "", {})
    return sorted(found.values(), key=lambda r: r.name)


def owner_of(route: Route, kwarg: str) -> str | None:
    """The attribute of a ``World`` that fills ``kwarg`` of ``route``; None if unknown."""
    if kwarg in OTHER_KWARGS:
        return OTHER_KWARGS[kwarg]
    if kwarg != "pk":
        return None
    for prefix, owner in PK_OWNERS:
        if route.short_name.startswith(prefix):
            return owner
    return None


def kwargs_options(route: Route, world) -> list[dict]:
    """Possible kwargs of ``route`` about ``world``'s objects, the likeliest first.

    A pk the URL name does not explain is tried as the matching model's object,
    then as each object that one points to (``task_create`` takes its plan's pk);
    the caller keeps the first that does not answer 404. Empty when some kwarg
    cannot be filled at all.
    """
    options = [{}]
    for key, _converter in route.converters:
        if key == "kind" and route.short_name.startswith("import_"):
            values = ["enterprises"]
        elif owner_of(route, key):
            values = [getattr(world, owner_of(route, key)).pk]
        else:
            first = extra_for(route, key, world) or any_instance_for(route, key)
            values = [] if first is None else list(
                dict.fromkeys(obj.pk for obj in [first, *_parents(first)]))
        if not values:
            return []
        options = [{**option, key: value} for option in options for value in values]
    return options


def _parents(obj) -> list:
    """The objects ``obj`` points to by foreign key (accounts excluded)."""
    from django.conf import settings

    parents = []
    for field in obj._meta.concrete_fields:
        if field.many_to_one and field.related_model._meta.label != settings.AUTH_USER_MODEL:
            parent = getattr(obj, field.name)
            if parent is not None:
                parents.append(parent)
    return parents


def dummy_kwargs(route: Route) -> dict:
    """Any well-formed kwargs (for checks that run before the view, such as CSRF)."""
    values = {"IntConverter": 1, "SlugConverter": "enterprises", "UUIDConverter":
              "00000000-0000-0000-0000-000000000000", "PathConverter": "x", "StringConverter": "x"}
    return {key: values.get(converter, "1") for key, converter in route.converters}


def _models_matching(route: Route):
    """Models of the route's app whose name ends with the URL name's first words."""
    from django.apps import apps

    app_label = route.name.split(":")[0]
    words = route.short_name.split("_")
    # "follow_up_done" -> "follow", "followup"; the longest match wins.
    prefixes = ["".join(words[:i]) for i in range(len(words) - 1, 0, -1)]
    try:
        models = [m for m in apps.get_app_config(app_label).get_models()
                  if not m._meta.model_name.startswith("historical")]
    except LookupError:
        return []
    for prefix in prefixes:
        found = [m for m in models
                 if m._meta.model_name == prefix or m._meta.model_name.endswith(prefix)]
        if found:
            return found
    return []


def extra_for(route: Route, kwarg: str, world):
    if kwarg != "pk":
        return None
    for model in _models_matching(route):
        if model._meta.model_name in world.extras:
            return world.extras[model._meta.model_name]
    return None


def any_instance_for(route: Route, kwarg: str):
    """An existing object of the route's app whose model name ends with the URL's prefix.

    For pages added by other apps later (plans, surveys, reports): ``plan_detail``
    takes a CoordinationPlan, ``visit_update`` a SurveyVisit, when one exists.
    """
    if kwarg != "pk":
        return None
    for model in _models_matching(route):
        obj = model._default_manager.order_by("-pk").first()
        if obj is not None:
            return obj
    return None
