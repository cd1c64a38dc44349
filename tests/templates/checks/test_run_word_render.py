"""``run_checks`` with the recording render of the Word engine (docxtpl, LibreOffice): the
bundled Word reminders pass every check, and what only a render sees (a key computed in the
template) is found by the paths the render read."""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
from collections.abc import Iterator, Mapping
from typing import Any

import pytest
import yaml

from service.bundled import bundled_dir
from service.demo.samples import sample_facts
from service.documents.present import present
from service.law.context import LawContext
from service.rendering.docx import DocxEngine
from service.rendering.engines import Recorder, Rendered, SourceBundle
from service.templates.checks import CheckInput, Problem, SiblingVersion, run_checks
from tests.templates.checks.word_builders import docx

TODAY = dt.date(2026, 11, 24)
WORD = bundled_dir("templates") / "word"


@dataclasses.dataclass(frozen=True)
class Spec:
    name: str
    type: str = "text"
    required: bool = False
    columns: tuple[Spec, ...] = ()


@dataclasses.dataclass(frozen=True)
class Schema:
    fields: tuple[Spec, ...] = ()


def parse_schema(text: bytes) -> tuple[Schema, list[str]]:
    """The schema file's fields (C3) as the checks read them."""

    def spec(item: Mapping[str, Any]) -> Spec:
        columns = tuple(spec(c) for c in item.get("columns", []))
        return Spec(item["name"], item.get("type", "text"), item.get("required", False), columns)

    return Schema(tuple(spec(f) for f in yaml.safe_load(text)["fields"])), []


@pytest.fixture(scope="module")
def engine(tmp_path_factory: pytest.TempPathFactory) -> Iterator[DocxEngine]:
    engine = DocxEngine(tmp_path_factory.mktemp("docx"), pool_size=1, timeout=60)
    missing = engine.missing()
    if missing is not None:
        pytest.skip(f"the Word engine cannot convert here: {missing}")
    yield engine
    engine.close()


def checked(
    law: LawContext,
    engine: DocxEngine,
    bundle: SourceBundle,
    schema: Any,
    *,
    language: str = "ru",
    sibling: SiblingVersion | None = None,
) -> list[Problem]:
    version_id = hashlib.sha256(repr(sorted(bundle.files.items())).encode()).hexdigest()

    def render(view: Mapping[str, Any], recorder: Recorder) -> Rendered:
        return engine.render(version_id, bundle, view, created=TODAY, recorder=recorder)

    view = {**present(sample_facts(law, "reminder", language)), "fields": {}}
    return run_checks(
        CheckInput(bundle, "docx", language, schema, (), law, TODAY, view, render, sibling)
    )


def test_the_bundled_word_reminders_pass_every_check(law: LawContext, engine: DocxEngine) -> None:
    schemas = {}
    for lang in ("kk", "ru"):
        parsed, errors = parse_schema((WORD / lang / "reminder.schema.yaml").read_bytes())
        assert errors == []
        schemas[lang] = parsed
    for lang, other in (("kk", "ru"), ("ru", "kk")):
        bundle = SourceBundle(
            {"reminder.docx": (WORD / lang / "reminder.docx").read_bytes()}, "reminder.docx"
        )
        sibling = SiblingVersion(other, schemas[other])
        problems = checked(law, engine, bundle, schemas[lang], language=lang, sibling=sibling)
        assert problems == [], (lang, [p.as_dict() for p in problems])


def test_the_recording_render_finds_what_the_source_does_not_name(
    law: LawContext, engine: DocxEngine
) -> None:
    data = docx(
        [
            "{{ t.creditor.name }}",
            '{% set key = "address" %}{{ t.creditor[key] }}',
            '{% set key = "adress" %}{{ t.creditor[key] }}',
        ]
    )
    bundle = SourceBundle({"reminder.docx": data}, "reminder.docx")
    schema = Schema((Spec("t.creditor.name"), Spec("t.creditor.address")))
    problems = checked(law, engine, bundle, schema)
    # t.creditor.address is read only through a computed key: the render saw it, so it is used;
    # the misspelt one only the render read.
    assert [(p.code, p.message) for p in problems] == [
        (
            "unknown_variable",
            "the recording render over the sample read t.creditor.adress: not declared in the "
            "schema and not provided by Talap (a misspelt name prints nothing)",
        )
    ]
