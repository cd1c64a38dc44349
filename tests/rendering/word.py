"""Builders for the Word engine tests: the sample view, the bundled Word reminder as a bundle,
a recorder, and small DOCX files made with python-docx whose runs a test chooses."""

from __future__ import annotations

import copy
import io
import zipfile
from collections.abc import Sequence
from functools import cache
from typing import Any

from docx import Document
from lxml import etree

from service.bundled import bundled_dir
from service.demo.samples import sample_facts
from service.documents.present import present
from service.law.loader import load_law
from service.rendering.engines import SourceBundle

WORD = bundled_dir("templates") / "word"
KAZAKH_LETTERS = "әғқңөұүһі"
NEW_SENTENCE = (
    "В назначении платежа просим указать номер помещения, оплачиваемый период и фамилию "
    "собственника."
)


@cache
def _view(lang: str) -> dict[str, Any]:
    return present(sample_facts(load_law(bundled_dir("legal")), "reminder", lang))


def sample_view(lang: str = "ru") -> dict[str, Any]:
    """The sample reminder's view (a fresh copy a test may change)."""
    return copy.deepcopy(_view(lang))


def reminder_bundle(lang: str) -> SourceBundle:
    return SourceBundle(
        {"reminder.docx": (WORD / lang / "reminder.docx").read_bytes()}, "reminder.docx"
    )


class Paths:
    """A recorder that keeps what it is told."""

    def __init__(self) -> None:
        self.read_paths: set[str] = set()

    def read(self, path: str) -> None:
        self.read_paths.add(path)


def docx_of(paragraphs: Sequence[Sequence[str]]) -> bytes:
    """A DOCX whose paragraphs hold exactly these runs (odd runs bold, as Word splits runs at a
    change of formatting)."""
    document = Document()
    for runs in paragraphs:
        paragraph = document.add_paragraph()
        for index, piece in enumerate(runs):
            paragraph.add_run(piece).bold = index % 2 == 1
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def bundle_of(docx: bytes) -> SourceBundle:
    return SourceBundle({"letter.docx": docx}, "letter.docx")


def document_xml(docx: bytes, part: str = "word/document.xml") -> etree._Element:
    """The part parsed as XML (raises if the filled DOCX is not well-formed)."""
    with zipfile.ZipFile(io.BytesIO(docx)) as archive:
        return etree.fromstring(archive.read(part))


def docx_text(docx: bytes) -> str:
    return "\n".join(p.text for p in Document(io.BytesIO(docx)).paragraphs)


def with_sentence(docx: bytes, starts: str, sentence: str) -> bytes:
    document = Document(io.BytesIO(docx))
    paragraph = next(p for p in document.paragraphs if p.text.startswith(starts))
    paragraph.runs[0].text = sentence
    for run in paragraph.runs[1:]:
        run.text = ""
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()
