"""``run_checks`` on real Typst bundles rendered by the Typst engine: a changed bundled version is
refused with every problem, each where a lawyer finds it (the unchanged ones pass:
``test_bundled_versions.py``)."""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pytest

from service.demo.samples import sample_facts
from service.documents.present import present
from service.law.context import LawContext
from service.rendering.engines import Recorder, Rendered, SourceBundle
from service.rendering.typst.engine import TypstEngine
from service.templates.checks import CheckInput, Problem, SiblingVersion, run_checks
from tests.conftest import TEMPLATES

TODAY = dt.date(2026, 11, 24)


@dataclasses.dataclass(frozen=True)
class Spec:
    name: str
    type: str = "text"
    required: bool = False
    columns: tuple[Spec, ...] = ()


@dataclasses.dataclass(frozen=True)
class Schema:
    fields: tuple[Spec, ...] = ()


@dataclasses.dataclass(frozen=True)
class Cited:
    id: str
    edition_from: dt.date | None


@pytest.fixture(scope="module")
def engine(tmp_path_factory: pytest.TempPathFactory) -> TypstEngine:
    return TypstEngine(tmp_path_factory.mktemp("template-cache"))


def bundled(kind: str, language: str, **changes: bytes) -> SourceBundle:
    root = Path(TEMPLATES)
    files = {f"common/{p.name}": p.read_bytes() for p in sorted((root / "common").glob("*.typ"))}
    entry = f"{language}/{kind}.typ"
    files[entry] = (root / entry).read_bytes()
    files.update(changes)
    return SourceBundle(files, entry)


def checked(
    law: LawContext,
    engine: TypstEngine,
    bundle: SourceBundle,
    *,
    kind: str = "reminder",
    language: str = "ru",
    schema: Schema = Schema(),
    provisions: tuple[Cited, ...] = (),
    view: Mapping[str, Any] | None = None,
    sibling: SiblingVersion | None = None,
) -> list[Problem]:
    version_id = hashlib.sha256(repr(sorted(bundle.files.items())).encode()).hexdigest()

    def render(sample: Mapping[str, Any], recorder: Recorder) -> Rendered:
        return engine.render(version_id, bundle, sample, created=TODAY, recorder=recorder)

    return run_checks(
        CheckInput(
            bundle=bundle,
            engine="typst",
            language=language,
            schema=schema,
            provisions=provisions,
            law=law,
            today=TODAY,
            sample_view=view if view is not None else present(sample_facts(law, kind, language)),
            render=render,
            sibling=sibling,
        )
    )


def _with_line(source: bytes, anchor: str, line: str) -> tuple[bytes, int]:
    """``source`` with ``line`` inserted before the line holding ``anchor``; its line number."""
    lines = source.decode().split("\n")
    index = next(i for i, text in enumerate(lines) if anchor in text)
    lines.insert(index, line)
    return "\n".join(lines).encode(), index + 1


THREAT = (
    "    say((t, l) => [Берешек өтелмесе, үй-жай электр энергиясынан ажыратылады.], "
    "(t, l) => [Если долг не будет погашен, подача воды и электроэнергии будет приостановлена.]),"
)


def test_a_version_that_threatens_to_cut_off_water_is_refused_with_the_article(
    law: LawContext, engine: TypstEngine
) -> None:
    text = "common/text-reminder.typ"
    source, line = _with_line(bundled("reminder", "ru").files[text], "calculation-intro,", THREAT)
    problems = checked(law, engine, bundled("reminder", "ru", **{text: source}))
    cutoff = [p for p in problems if p.code == "content_utility_cutoff"]
    assert [(p.file, p.line, p.provision) for p in cutoff] == [
        (text, line, "housing-38"),
        (text, line, "housing-38"),
    ]
    assert "ст. 38 Закона РК «О жилищных отношениях»" in cutoff[1].message
    assert "подача воды" in cutoff[1].message
    assert [p for p in problems if p not in cutoff] == []  # it still renders


def test_a_court_order_and_a_policy_cited_as_law_are_found(
    law: LawContext, engine: TypstEngine
) -> None:
    text = "common/text-reminder.typ"
    wording = (
        "    say((t, l) => [Сот бұйрығы шығарылады.], (t, l) => [Скидка на пеню"
        '#cite-of(t, "penalty-discount"). В ином случае будет выдан судебный приказ.]),'
    )
    source, line = _with_line(bundled("reminder", "ru").files[text], "calculation-intro,", wording)
    problems = checked(law, engine, bundled("reminder", "ru", **{text: source}))
    assert sorted((p.code, p.line, p.provision) for p in problems) == [
        ("content_court_order", line, "gpk-135"),
        ("content_court_order", line, "gpk-135"),
        ("policy_cited_as_law", line, None),
    ]


def test_a_misspelt_variable_is_found_in_its_line_and_by_the_render(
    law: LawContext, engine: TypstEngine
) -> None:
    text = "common/text-reminder.typ"
    original = bundled("reminder", "ru").files[text]
    source = original.replace(
        b"[#t.creditor.name \xd0\xbd\xd0\xb0\xd0\xbf", b"[#t.creditor.nmae \xd0\xbd\xd0\xb0\xd0\xbf"
    )
    assert source != original
    line = (
        source.decode()
        .split("\n")
        .index(next(x for x in source.decode().split("\n") if "t.creditor.nmae" in x))
        + 1
    )
    problems = checked(law, engine, bundled("reminder", "ru", **{text: source}))
    assert sorted((p.code, p.file, p.line) for p in problems) == [
        ("sample_render_failed", text, line),
        ("unknown_variable", text, line),
    ]
    assert "t.creditor.nmae" in next(p for p in problems if p.code == "unknown_variable").message


def test_a_glyph_the_fonts_lack_is_found_in_the_text_and_in_the_sample(
    law: LawContext, engine: TypstEngine
) -> None:
    text = "common/text-reminder.typ"
    source, line = _with_line(
        bundled("reminder", "ru").files[text],
        "calculation-intro,",
        "    say((t, l) => [Құрметті ☎], (t, l) => [Уважаемый ☎]),",
    )
    view = present(sample_facts(law, "reminder", "ru"))
    view["text"]["ru"]["creditor"]["name"] = "ОСИ «Көктем» 🏠"
    problems = checked(law, engine, bundled("reminder", "ru", **{text: source}), view=view)
    glyphs = [p for p in problems if p.code == "missing_glyph"]
    assert [(p.file, p.line, p.where) for p in glyphs] == [
        (text, line, None),
        (None, None, "sample text.ru.creditor.name"),
    ]
    assert "U+260E" in glyphs[0].message and "U+1F3E0" in glyphs[1].message
    assert [p.code for p in problems if p not in glyphs] == ["sample_render_failed"]


def test_declared_fields_unused_and_kk_ru_differences_are_listed(
    law: LawContext, engine: TypstEngine
) -> None:
    schema = Schema((Spec("t.creditor.name"), Spec("fields.meeting_date", "date")))
    sibling = SiblingVersion("kk", Schema((Spec("t.creditor.name"),)))
    problems = checked(law, engine, bundled("reminder", "ru"), schema=schema, sibling=sibling)
    assert [(p.code, p.message) for p in problems] == [
        ("unused_field", "the schema declares fields.meeting_date, which the template never reads"),
        (
            "sibling_fields_differ",
            "fields.meeting_date is declared by the ru version, not by the kk one",
        ),
    ]


def test_a_superseded_citation_is_named(law: LawContext, engine: TypstEngine) -> None:
    problems = checked(
        law,
        engine,
        bundled("reminder", "ru"),
        provisions=(Cited("housing-34-1-p9", dt.date(2024, 1, 1)), Cited("housing-99", None)),
    )
    assert [(p.code, p.provision) for p in problems] == [
        ("unknown_edition", "housing-34-1-p9"),
        ("unknown_provision", "housing-99"),
    ]
