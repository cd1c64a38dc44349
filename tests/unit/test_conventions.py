"""Conventions kept by a check rather than by memory (CONTRIBUTING: the clock is injected;
the domain imports no framework)."""

from __future__ import annotations

import re
from pathlib import Path

SERVICE = Path(__file__).resolve().parents[2] / "service"
WALL_CLOCK = re.compile(r"\b(datetime|dt)\.(now|today|utcnow)\(|\bdate\.today\(|\btime\.time\(")
# The development certificate's validity is wall-clock by nature (it must be valid when used).
ALLOWED_CLOCK = {"clock.py", "devkey.py"}
FRAMEWORKS = re.compile(r"^\s*(from|import)\s+(fastapi|starlette|sqlalchemy|pydantic|yaml|typst)\b")


def test_only_the_clock_module_reads_the_wall_clock() -> None:
    offenders = [
        f"{path.relative_to(SERVICE)}:{number}"
        for path in SERVICE.rglob("*.py")
        if path.name not in ALLOWED_CLOCK
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if WALL_CLOCK.search(line)
    ]
    assert offenders == []


def test_domain_imports_no_framework() -> None:
    offenders = [
        f"{path.relative_to(SERVICE)}:{number}"
        for path in (SERVICE / "domain").rglob("*.py")
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if FRAMEWORKS.match(line)
    ]
    assert offenders == []
