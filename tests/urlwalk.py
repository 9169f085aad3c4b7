"""Enumerates the URLconf for the permission walk; apps add samples for URLs that take arguments.

A URL with arguments needs a sample: ``tests/<app>/url_samples.py`` defines
``SAMPLES = {"ledger:meter_detail": lambda ctx: {"pk": MeterFactory(agency=ctx.agency).pk}}``,
building an object of ``ctx.agency`` (the agency the roles belong to). The walk fails on any
URL that has no sample, so a new page cannot escape the permission test.
"""

import importlib
from dataclasses import dataclass
from pathlib import Path

from django.urls import URLPattern, URLResolver, get_resolver

SKIPPED_NAMESPACES = {"admin"}  # Django admin: staff only, its own permission system


@dataclass(frozen=True)
class Route:
    name: str
    callback: object
    has_args: bool

    @property
    def roles(self):
        view_class = getattr(self.callback, "view_class", None)
        return getattr(self.callback, "scope_roles", None) or getattr(view_class, "scope_roles", None)

    @property
    def is_public(self) -> bool:
        view_class = getattr(self.callback, "view_class", None)
        return bool(getattr(self.callback, "is_public", False) or getattr(view_class, "is_public", False))


def _walk(patterns, namespace=None, inherited_args=False):
    for entry in patterns:
        has_args = inherited_args or bool(entry.pattern.converters) or "(?P<" in str(entry.pattern)
        if isinstance(entry, URLResolver):
            ns = entry.namespace or namespace
            if ns in SKIPPED_NAMESPACES:
                continue
            full_ns = ":".join(filter(None, [namespace, entry.namespace])) if entry.namespace else namespace
            yield from _walk(entry.url_patterns, full_ns, has_args)
        elif isinstance(entry, URLPattern) and entry.name:
            name = f"{namespace}:{entry.name}" if namespace else entry.name
            yield Route(name, entry.callback, has_args)


def routes() -> list[Route]:
    seen = {}
    for route in _walk(get_resolver().url_patterns):
        seen.setdefault(route.name, route)
    return sorted(seen.values(), key=lambda r: r.name)


def samples() -> dict:
    found = {}
    tests_dir = Path(__file__).parent
    for path in sorted(tests_dir.glob("*/url_samples.py")):
        module = importlib.import_module(f"tests.{path.parent.name}.url_samples")
        found.update(module.SAMPLES)
    return found
