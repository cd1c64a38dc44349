"""A version's preview: its PDF with the sample case (marked draft, unsigned, not stored)."""

from __future__ import annotations

from service.creditors.auth import Permission, Principal
from service.errors import FieldError, ValidationFailed
from service.rendering.engines import SourceBundle
from service.templates.ports import Templating
from service.templates.sample import sample_view
from service.templates.version import VersionInfo


def render_preview(
    ports: Templating,
    caller: Principal,
    info: VersionInfo,
    bundle: SourceBundle,
    case_external_id: str | None,
) -> bytes:
    caller.require(Permission.PREVIEW)
    if case_external_id is not None:
        raise ValidationFailed(
            [
                FieldError(
                    "case",
                    "not_supported",
                    "a preview with a real case goes through POST /v1/cases/{id}/documents:preview "
                    "once the version is live; here the sample case is used",
                )
            ]
        )
    view = sample_view(ports.law, ports.kinds, info.kind, info.language, info.schema, issued=False)
    engine = ports.engines.get(info.engine)
    return engine.render(info.id, bundle, view, created=ports.clock.today()).pdf
