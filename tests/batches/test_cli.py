"""``talap batch``: every bad row named before anything is stored; a good export upserted,
issued and summarised; the same file again finds its batch and issues nothing twice."""

from __future__ import annotations

from pathlib import Path

import pytest
from openpyxl import load_workbook
from sqlalchemy import func, select

from service.batches.models import BatchItemRow, BatchRow
from service.bootstrap import Wiring
from service.cases.models import CaseRow
from service.cli import main
from service.documents.models import IssuedDocumentRow
from service.settings import Settings
from tests.api import Tenant
from tests.batches.exports import export_rows, xlsx_bytes


@pytest.fixture
def cli_env(settings: Settings, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TALAP_DATA_DIR", str(settings.data_dir))
    monkeypatch.setenv("TALAP_DATABASE_URL", settings.resolved_database_url())
    if settings.database_schema:
        monkeypatch.setenv("TALAP_DATABASE_SCHEMA", settings.database_schema)


def _count(wiring: Wiring, model: type) -> int:
    with wiring.db.transaction(read_only=True) as session:
        return int(session.scalar(select(func.count()).select_from(model)) or 0)


def test_bad_rows_are_each_named_by_line_and_column_and_nothing_is_stored(
    cli_env: None,
    tenant: Tenant,
    wiring: Wiring,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    rows = export_rows(3)
    rows[1][12] = "12,345"  # line 3
    rows[6][9] = "31.02.2025"  # line 8: Дата протокола
    rows[9][0] = None  # line 11: no account
    export = tmp_path / "osv.xlsx"
    export.write_bytes(xlsx_bytes(rows))
    assert main(["batch", str(export), "--creditor", tenant.creditor_id]) == 1
    err = capsys.readouterr().err
    assert "osv.xlsx: line 3, column «Начислено» (charged): invalid_amount" in err
    assert "osv.xlsx: line 8, column «Дата протокола» (protocol_date): invalid_date" in err
    assert "osv.xlsx: line 11, column «Лицевой счет» (case): required" in err
    assert "nothing stored, nothing issued" in err
    assert _count(wiring, CaseRow) == 0
    assert _count(wiring, BatchRow) == 0


def test_a_good_export_is_issued_summarised_and_a_rerun_issues_nothing_twice(
    cli_env: None,
    tenant: Tenant,
    wiring: Wiring,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    export = tmp_path / "osv.xlsx"
    export.write_bytes(xlsx_bytes(export_rows(3)))
    assert main(["batch", str(export)]) == 0, capsys.readouterr().err  # the only creditor
    out, err = capsys.readouterr()
    batch_id = out.strip().splitlines()[-1]
    assert "rows/s" in err and "cases/s" in err
    assert "3 issued, 0 refused, 0 errors" in err
    assert _count(wiring, CaseRow) == 3
    assert _count(wiring, IssuedDocumentRow) == 3
    summary = load_workbook(tmp_path / "osv.summary.xlsx").active
    assert summary is not None
    lines = [row for row in summary.iter_rows(min_row=5, values_only=True)]
    assert [(r[0], r[1], r[4]) for r in lines] == [
        (2, "ЛС-00001", "шығарылды / выпущен"),
        (6, "ЛС-00002", "шығарылды / выпущен"),
        (10, "ЛС-00003", "шығарылды / выпущен"),
    ]
    with wiring.db.transaction(read_only=True) as session:
        languages = session.scalars(
            select(IssuedDocumentRow.language).order_by(IssuedDocumentRow.number)
        ).all()
        keys = session.scalars(select(BatchItemRow.idempotency_key)).all()
    assert languages == ["kk", "ru", "kk"]  # each debtor's own
    assert sorted(keys) == [f"batch:{batch_id}:{line}" for line in (10, 2, 6)]

    assert main(["batch", str(export)]) == 0
    out, err = capsys.readouterr()
    assert f"resuming batch {batch_id}" in err
    assert out.strip().splitlines()[-1] == batch_id
    assert _count(wiring, IssuedDocumentRow) == 3
    assert _count(wiring, BatchRow) == 1


def test_skip_bad_issues_the_good_accounts_only(
    cli_env: None,
    tenant: Tenant,
    wiring: Wiring,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    rows = export_rows(2)
    rows[5][12] = "x"  # account 2
    export = tmp_path / "osv.csv"
    from tests.batches.exports import csv_bytes

    export.write_bytes(csv_bytes(rows))
    code = main(["batch", str(export), "--skip-bad", "--language", "ru", "--summary",
                 str(tmp_path / "out.xlsx")])  # fmt: skip
    assert code == 0, capsys.readouterr().err
    assert "line 7, column «Начислено»" in capsys.readouterr().err
    assert _count(wiring, IssuedDocumentRow) == 1
    assert (tmp_path / "out.xlsx").exists()
