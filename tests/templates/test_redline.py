"""The engines' part of a redline: Word paragraph and cell changes, the schema's breaking changes,
and the sample rendered by both versions, page by page (PNG read back)."""

from __future__ import annotations

import base64
import io
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from PIL import Image

from service.bundled import bundled_dir
from service.rendering.docx import DocxEngine
from service.rendering.engines import EngineRegistry, SourceBundle
from service.rendering.html import HtmlEngine
from service.templates.paragraphs import block_changes
from service.templates.redline import redline
from tests.rendering.word import NEW_SENTENCE, reminder_bundle, sample_view, with_sentence


@dataclass(frozen=True)
class Field:
    """A schema field as C3 describes it (what the redline reads of one)."""

    name: str
    type: str = "text"
    required: bool = False

    @property
    def from_request(self) -> bool:
        return self.name.startswith("fields.")

    def as_dict(self) -> dict[str, Any]:
        return {"name": self.name, "type": self.type, "required": self.required}


@dataclass(frozen=True)
class Schema:
    fields: tuple[Field, ...] = ()


@dataclass(frozen=True)
class Info:
    engine: str
    schema: Schema


@dataclass(frozen=True)
class Version:
    """A version as tpl-core's ``LiveVersion`` gives it: id, info, bundle."""

    id: str
    info: Info
    bundle: SourceBundle


def version(bundle: SourceBundle, engine: str, vid: str, fields: tuple[Field, ...] = ()) -> Version:
    return Version(vid, Info(engine, Schema(fields)), bundle)


@pytest.fixture(scope="module")
def word(tmp_path_factory: pytest.TempPathFactory) -> Iterator[DocxEngine]:
    engine = DocxEngine(tmp_path_factory.mktemp("word"))
    yield engine
    engine.close()


def png_size(data_url: str) -> tuple[int, int]:
    assert data_url.startswith("data:image/png;base64,")
    image = Image.open(io.BytesIO(base64.b64decode(data_url.split(",", 1)[1])))
    assert image.format == "PNG"
    return image.size


def test_two_word_versions_differing_in_one_sentence_name_that_paragraph(
    word: DocxEngine,
) -> None:
    old = reminder_bundle("ru")
    changed = with_sentence(old.files["reminder.docx"], "В назначении платежа", NEW_SENTENCE)
    new = SourceBundle({"reminder.docx": changed}, "reminder.docx")
    a, b = version(old, "docx", "a" * 64), version(new, "docx", "b" * 64)

    found = redline(a, b, EngineRegistry([word]), sample_view("ru")).as_dict()

    [change] = found["paragraphs"]
    assert change["change"] == "changed"
    assert change["where"] == "paragraph 12"
    assert change["before"].startswith("В назначении платежа просим указать номер помещения и")
    assert change["after"] == NEW_SENTENCE
    if word.missing() is None:
        assert len(found["pages"]) == 2
        first = found["pages"][0]
        assert png_size(first["a"]) == png_size(first["b"])
        assert first["a"] != first["b"] or found["pages"][1]["a"] != found["pages"][1]["b"]
    else:
        assert found["pages"] == [] and len(found["render_problems"]) == 2


def test_the_html_sample_is_rendered_side_by_side() -> None:
    html = bundled_dir("templates") / "html" / "ru"
    files = {p.name: p.read_bytes() for p in html.iterdir()}
    old = SourceBundle(files, "reminder.html")
    new = SourceBundle(
        {**files, "reminder.html": files["reminder.html"].replace(b"<h1>", b"<h1>!")},
        "reminder.html",
    )
    found = redline(
        version(old, "html", "a" * 64),
        version(new, "html", "b" * 64),
        EngineRegistry([HtmlEngine()]),
        sample_view("ru"),
    ).as_dict()
    assert found["paragraphs"] == []  # not Word: tpl-core's line diff covers it
    assert [p["page"] for p in found["pages"]] == [1, 2]
    assert all(p["a"] and p["b"] for p in found["pages"])
    assert found["pages"][0]["a"] != found["pages"][0]["b"]
    assert found["render_problems"] == []


def test_a_side_that_cannot_render_has_no_pages_and_says_why() -> None:
    bundle = SourceBundle({"x.html": b"{{ t.nothing.here }}"}, "x.html")
    found = redline(
        version(bundle, "html", "a" * 64),
        version(bundle, "docx-unknown", "b" * 64),
        EngineRegistry([HtmlEngine()]),
        sample_view("ru"),
    ).as_dict()
    assert found["pages"] == []
    assert len(found["render_problems"]) == 2


def test_a_new_required_request_field_is_breaking() -> None:
    bundle = SourceBundle({"x.html": b"<p>x</p>"}, "x.html")
    a = version(bundle, "html", "a" * 64, (Field("fields.note"),))
    b = version(
        bundle,
        "html",
        "b" * 64,
        (
            Field("fields.note", required=True),
            Field("fields.meeting_date", "date", required=True),
            Field("t.creditor.name"),
        ),
    )
    schema = redline(a, b, EngineRegistry([HtmlEngine()]), sample_view("ru")).schema
    assert schema["breaking"] == ["fields.meeting_date", "fields.note"]
    assert schema["added"] == ["fields.meeting_date", "t.creditor.name"]
    assert schema["changed"] == ["fields.note"]


def test_block_changes_align_an_insertion_instead_of_renumbering_everything() -> None:
    old = [("paragraph 1", "A"), ("paragraph 2", "B"), ("paragraph 3", "C")]
    new = [("paragraph 1", "A"), ("paragraph 2", "New"), ("paragraph 3", "B")]
    new += [("paragraph 4", "C!")]
    assert [(c.where, c.change, c.before, c.after) for c in block_changes(old, new)] == [
        ("paragraph 2", "added", None, "New"),
        ("paragraph 4", "changed", "C", "C!"),
    ]
