"""Conventions kept by a check rather than by memory (CONTRIBUTING.md).

- Only the clock module reads the wall clock.
- In a domain folder, frameworks (FastAPI, Starlette, SQLAlchemy, pydantic, YAML, Typst) are
  imported only by the edge files; every other module there, and the whole kernel, is pure.
- SQL is written only in a domain's ``repository.py`` (and in the shared glue and migrations).
- Only the transaction helper commits.
- The layer-era modules are gone and none comes back.
"""

from __future__ import annotations

import re
from pathlib import Path

SERVICE = Path(__file__).resolve().parents[2] / "service"
DOMAINS = (
    "agreements",
    "audit",
    "auditor",
    "batches",
    "campaigns",
    "caselog",
    "cases",
    "claims",
    "creditors",
    "deliveries",
    "decisions",
    "discounts",
    "documents",
    "evidence",
    "law",
    "mail",
    "outbox",
    "outgoing",
    "postal",
    "retention",
    "rules",
    "segments",
    "sms",
    "templates",
    "timeline",
    "webhooks",
    "web",
    "workbench",
)
EDGE_FILES = {
    "endpoints.py",
    "schemas.py",
    "models.py",
    "repository.py",
    "service.py",
    "tasks.py",
    "pages.py",
    "loader.py",
}
WALL_CLOCK = re.compile(r"\b(datetime|dt)\.(now|today|utcnow)\(|\bdate\.today\(|\btime\.time\(")
# Wall-clock by nature: a certificate's validity, a staged file's age (its mtime is wall clock).
ALLOWED_CLOCK = {"clock.py", "devkey.py", "local.py", "memory.py"}
FRAMEWORKS = re.compile(
    r"^\s*(from|import)\s+(fastapi|starlette|sqlalchemy|pydantic|pydantic_core|pydantic_settings|"
    r"yaml|typst|alembic)\b"
)
SQL = re.compile(r"(?<![.\w])(select|update|delete|insert|text)\(|\.(execute|scalars|scalar)\(")


def _lines(paths: list[Path]) -> list[tuple[str, int, str]]:
    return [
        (str(path.relative_to(SERVICE)), number, line)
        for path in paths
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
    ]


def _domain_files() -> list[Path]:
    return [path for domain in DOMAINS for path in sorted((SERVICE / domain).rglob("*.py"))]


def test_only_the_clock_module_reads_the_wall_clock() -> None:
    paths = [p for p in SERVICE.rglob("*.py") if p.name not in ALLOWED_CLOCK]
    assert [f"{f}:{n}" for f, n, line in _lines(paths) if WALL_CLOCK.search(line)] == []


def test_frameworks_are_imported_only_by_edge_files() -> None:
    pure = [p for p in _domain_files() if p.name not in EDGE_FILES]
    pure += sorted((SERVICE / "kernel").rglob("*.py"))
    offenders = [f"{f}:{n}" for f, n, line in _lines(pure) if FRAMEWORKS.match(line)]
    assert offenders == []
    assert len(pure) > 30, "the pure modules are found"


def test_sql_is_written_only_in_repositories() -> None:
    outside = [p for p in _domain_files() if p.name != "repository.py"]
    outside += [SERVICE / name for name in ("bootstrap.py", "main.py", "cli.py")]
    outside += sorted((SERVICE / "demo").rglob("*.py"))
    assert [f"{f}:{n}" for f, n, line in _lines(outside) if SQL.search(line)] == []


def test_only_the_transaction_helper_commits() -> None:
    paths = [p for p in SERVICE.rglob("*.py") if p != SERVICE / "kit" / "db.py"]
    assert [f"{f}:{n}" for f, n, line in _lines(paths) if ".commit(" in line] == []


def test_the_layer_modules_are_gone() -> None:
    for gone in (
        "application",
        "db",
        "api",
        "domain",
        "legal",
        "ports.py",
        "contract.py",
        "db/repositories.py",
        "db/rules_repository.py",
        "api/rules_routes.py",
    ):
        assert not (SERVICE / gone).exists(), gone
    assert not [p for p in SERVICE.rglob("*.py") if re.search(r"issue_?\d|ticket", p.name)]


def test_the_checks_catch_what_they_look_for() -> None:
    assert FRAMEWORKS.match("from sqlalchemy.orm import Session")
    assert FRAMEWORKS.match("import yaml")
    assert SQL.search("rows = session.scalars(select(Row))")
    assert WALL_CLOCK.search("now = dt.datetime.now(dt.UTC)")
    assert not FRAMEWORKS.match("from service.kit.fields import In")
    assert SQL.search("session.execute(update(Row))") and not SQL.search("names.update({1: 2})")


SNAPSHOT_AUDITORS = {"timeline/service.py", "retention/scrub.py", "retention/service.py"}
"""Audit reads a snapshot for what the PDF was rendered from (the provisions it cites, in the
case's timeline) and retention scrubs personal data out of it; nothing else reads it back."""


def test_nothing_reads_a_stored_snapshot_back() -> None:
    """The snapshot records what a PDF was rendered from; the rules read columns, not it."""
    readers = [
        f"{f}:{n}"
        for f, n, line in _lines(sorted(SERVICE.rglob("*.py")))
        if re.search(r"\.snapshot\b(?!\s*=)", line)
        and not line.strip().startswith(("from ", "import ", "#"))
        and "migrations" not in f
        and f not in SNAPSHOT_AUDITORS
    ]
    assert readers == []
