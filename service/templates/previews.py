"""A version's preview: its PDF with the sample case or a real case's facts (marked draft,
unsigned, not stored)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from service.creditors.auth import Permission, Principal
from service.rendering.engines import SourceBundle
from service.templates.ports import Templating
from service.templates.sample import sample_view
from service.templates.version import VersionInfo


def render_preview(
    ports: Templating,
    caller: Principal,
    info: VersionInfo,
    bundle: SourceBundle,
    case_view: Mapping[str, Any] | None = None,
) -> bytes:
    """``case_view``: a real case's draft view (``present(facts)``); else the sample case."""
    caller.require(Permission.PREVIEW)
    if case_view is None:
        view = sample_view(
            ports.law, ports.kinds, info.kind, info.language, info.schema, issued=False
        )
    else:
        view = {**case_view, "fields": dict(info.schema.sample)}
    engine = ports.engines.get(info.engine)
    return engine.render(info.id, bundle, view, created=ports.clock.today()).pdf
