"""A Word version through the template API: the bundled Word reminder uploaded as a version, then
the same with one sentence changed; the redline names exactly that paragraph with its old and new
text, and shows the sample's pages of both side by side."""

from __future__ import annotations

import base64
from typing import Any

import pytest
from fastapi.testclient import TestClient

from service.bootstrap import Wiring
from service.rendering.docx import DOCX_TYPE
from tests.api import key_for
from tests.rendering.word import NEW_SENTENCE, WORD, with_sentence


def bearer(key: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {key}"}


def upload_word(client: TestClient, key: str, data: bytes, schema: str) -> Any:
    return client.post(
        "/v1/templates/reminder/ru/versions",
        files={"source": ("reminder.docx", data, DOCX_TYPE)},
        data={"engine": "docx", "changelog": "The reminder in Word.", "schema": schema},
        headers=bearer(key),
    )


def test_a_word_version_with_one_changed_sentence_shows_that_paragraph(
    client: TestClient, wiring: Wiring
) -> None:
    problem = wiring.engines.problem("docx")
    if problem is not None:
        pytest.skip(problem.message)
    author = key_for(wiring, None, "lawyer")
    schema = (WORD / "ru" / "reminder.schema.yaml").read_text("utf-8")
    original = (WORD / "ru" / "reminder.docx").read_bytes()
    first = upload_word(client, author, original, schema)
    assert first.status_code == 201, first.text
    changed = with_sentence(original, "В назначении платежа", NEW_SENTENCE)
    second = upload_word(client, author, changed, schema)
    assert second.status_code == 201, second.text
    a, b = first.json()["id"], second.json()["id"]

    redline = client.get(f"/v1/template-versions/{a}/redline/{b}", headers=bearer(author))

    assert redline.status_code == 200, redline.text
    found = redline.json()
    assert [(p["where"], p["change"], p["after"]) for p in found["paragraphs"]] == [
        ("paragraph 12", "changed", NEW_SENTENCE)
    ]
    assert found["paragraphs"][0]["before"].startswith("В назначении платежа просим указать")
    assert [page["page"] for page in found["pages"]] == [1, 2]
    for page in found["pages"]:
        for side in ("a", "b"):
            assert base64.b64decode(page[side].split(",", 1)[1]).startswith(b"\x89PNG")
    assert found["schema"]["breaking"] == []
