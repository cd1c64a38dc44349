"""Formula injection into every export a person opens in a spreadsheet (issue 13, item 9): the
outgoing register (XLSX and CSV), the post lists (XLSX) and the batch summaries (XLSX). Every
hostile payload in every text cell those exports fill from stored data; read back, no cell is a
formula, no text starts with what a spreadsheet would run (OWASP: ``= + - @``, tab, carriage
return), and each text shows as sent behind its ``'``. A control character an XLSX cannot hold
(stored before the input checks refused them) no longer fails the whole export."""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient
from openpyxl import load_workbook

from service.batches.summary import SummaryLine
from service.batches.summary import workbook as batch_summary
from service.kernel.spreadsheet import FORMULA_STARTS, cell_text
from service.kernel.text import Localized
from service.outgoing.register import Outcome, RegisterRow, RowStatus, to_csv
from service.outgoing.xlsx import to_xlsx
from service.postal.listing import Channel, Line, PostList, Sender, view
from service.postal.sheet import workbook as post_list
from tests.api import Tenant, fixture, issued
from tests.hardening.injection import PAYLOADS

CONTROL = "\x0b\x1b[31m=1+1\x07"
"""Control characters XML 1.0 cannot hold, and a formula behind them."""
EXPORT_PAYLOADS = (*PAYLOADS, CONTROL)
CREATED = dt.datetime(2026, 11, 24, 9, 30, tzinfo=dt.UTC)


def register_row(payload: str) -> RegisterRow:
    return RegisterRow(
        register="outgoing",
        year=2026,
        sequence=1,
        number="2026-00001",
        status=RowStatus.VOIDED,
        issue_date=dt.date(2026, 11, 24),
        kind=payload,
        kind_label=None,
        case=payload,
        debtor=payload,
        outcome=Outcome("pending", None, payload),
        sha256=None,
        document_id=None,
        reason=payload,
    )


def postal(payload: str) -> bytes:
    text = Localized(payload, payload)
    sender = Sender(text, "180240000125", text, text, payload)
    lines = (Line(1, "2026-00017", dt.date(2026, 11, 20), payload, text, "RR123456785KZ"),)
    return post_list(view(PostList("P-2026-00004", CREATED.date(), Channel.COURIER, sender, lines)))


def summary(payload: str) -> bytes:
    line = SummaryLine(1, payload, payload, payload, "refused", payload, payload, [payload])
    return batch_summary("b-1", payload, CREATED, [line])


EXPORTS = {
    "outgoing register xlsx": lambda p: to_xlsx([register_row(p)], created=CREATED),
    "post list xlsx": postal,
    "batch summary xlsx": summary,
}


def xlsx_texts(data: bytes) -> Iterator[str]:
    """Every text cell of every sheet; fails on a formula cell."""
    book = load_workbook(io.BytesIO(data))
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                assert cell.data_type != "f", f"{sheet.title}!{cell.coordinate} is a formula"
                if isinstance(cell.value, str):
                    yield cell.value


def lines(text: str) -> str:
    """Line breaks made comparable (an XML reader may give a stored CR as LF)."""
    return text.replace("\r\n", "\n").replace("\r", "\n")


def shown_in(payload: str, texts: list[str]) -> bool:
    """The cell text ``cell_text(payload)`` is a cell, or part of one (a post list joins lines)."""
    wanted = lines(cell_text(payload))
    found = [lines(t) for t in texts]
    return wanted in found or any(wanted.removeprefix("'") in t for t in found)


@pytest.mark.parametrize("export", sorted(EXPORTS))
def test_no_export_cell_is_a_formula_and_every_text_shows_as_sent(export: str) -> None:
    for payload in EXPORT_PAYLOADS:
        texts = list(xlsx_texts(EXPORTS[export](payload)))
        assert not [t for t in texts if t.startswith(FORMULA_STARTS)], (export, payload)
        assert shown_in(payload, texts), f"{export}: {payload!r} not shown as sent"


def test_the_csv_register_never_starts_a_cell_with_a_formula() -> None:
    for payload in EXPORT_PAYLOADS:
        rows = list(csv.reader(io.StringIO(to_csv([register_row(payload)]).decode("utf-8-sig"))))
        cells = [c for row in rows for c in row]
        assert not [c for c in cells if c.startswith(FORMULA_STARTS)], payload
        assert cells.count(cell_text(payload)) == 5  # kind, case, debtor, channel, reason
        assert "\x0b" not in "".join(cells)


@pytest.mark.parametrize("payload", [CONTROL, '=HYPERLINK("http://x","y")', "@SUM(1+1)"])
def test_the_register_of_a_stored_hostile_name_downloads_as_text(
    client: TestClient, tenant: Tenant, payload: str
) -> None:
    case = fixture("case.json")
    path = f"/v1/cases/{case['external_id']}"
    assert client.put(path, json=case, headers=tenant.headers()).status_code == 201
    issued(client, tenant, fixture("issue-reminder.json"), case["external_id"])
    case["debtor"]["full_name"] = payload  # the register names the case's debtor as stored now
    stored = client.put(path, json=case, headers=tenant.headers())
    if stored.status_code == 422:  # refused at storage: the field is named
        assert [e["path"] for e in stored.json()["errors"]] == ["debtor.full_name"]
        return
    assert stored.status_code == 200, stored.text
    for fmt in ("xlsx", "csv"):
        got = client.get(
            f"/v1/registry/outgoing?from=2026-11-01&to=2026-11-30&format={fmt}",
            headers=tenant.headers(tenant.auditor_key),
        )
        assert got.status_code == 200, got.text
        if fmt == "xlsx":
            texts = list(xlsx_texts(got.content))
        else:
            texts = [c for r in csv.reader(io.StringIO(got.text.lstrip("\ufeff"))) for c in r]
        assert shown_in(payload.strip(), texts)  # a stored text is stripped
        assert not [t for t in texts if t.startswith(FORMULA_STARTS)]
