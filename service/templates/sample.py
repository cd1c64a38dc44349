"""The sample a version is checked and previewed with: the demo case's facts as issuing would
present them (``service.demo.samples``), plus the schema's sample ``fields``."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from service.documents.kinds import KindRegistry
from service.documents.present import present
from service.law.context import LawContext
from service.templates.schema import Schema


def sample_view(
    law: LawContext,
    kinds: KindRegistry,
    kind: str,
    language: str,
    schema: Schema,
    *,
    issued: bool = True,
) -> Mapping[str, Any]:
    """``issued``: numbered, with a verification link (what the checks read); else a draft."""
    from service.demo.samples import sample_facts, sample_request

    spec = kinds.get(kind)
    language = spec.language_for(language) if spec else language
    facts = sample_facts(
        law, kind, language, request=sample_request(kind, language), kinds=kinds, issued=issued
    )
    return {**present(facts), "fields": dict(schema.sample)}
