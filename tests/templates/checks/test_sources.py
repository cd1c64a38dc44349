"""The text the content rules and the glyph check read: never what is not printed."""

from __future__ import annotations

from service.rendering.engines import SourceBundle
from service.templates.checks.sources import html_text_lines, pieces, typst_code_lines
from tests.templates.checks.word_builders import docx


def test_typst_comments_are_not_read_but_strings_and_links_are() -> None:
    source = '#let a = "x // y" // отключим воду\n/* судебный\nприказ */ b https://adilet.zan.kz'
    assert typst_code_lines(source) == ('#let a = "x // y" ', "", " b https://adilet.zan.kz")


def test_html_comments_tags_and_jinja_comments_are_not_read() -> None:
    source = "<p>Текст</p>{# отключим\nводу #}<!-- приказ -->\n<b>{{ t.x }}</b>"
    assert html_text_lines(source) == (" Текст ", "", " {{ t.x }} ")


def test_word_pieces_have_their_location() -> None:
    data = docx(["Первый {# заметка #}абзац"], table=[["ячейка"]], footer="подвал")
    found = [(p.where, p.text) for p in pieces(SourceBundle({"a.docx": data}, "a.docx"))]
    assert found == [
        ("paragraph 1", "Первый  абзац"),
        ("table 1 row 1 cell 1", "ячейка"),
        ("footer", "подвал"),
    ]
