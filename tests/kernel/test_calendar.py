"""Working days with the Kazakhstan calendar (legal/calendar/kz.yaml) and ГК 174/175 periods."""

from __future__ import annotations

import pytest

from service.kernel.calendar import add_months, period_end
from tests.cases.builders import d, kz


@pytest.mark.parametrize(
    ("start", "months", "end"),
    [
        pytest.param("2026-03-25", 2, "2026-05-25", id="25-march-plus-2-is-25-may"),
        pytest.param("2025-12-31", 2, "2026-02-28", id="31-dec-plus-2-is-28-feb"),
        pytest.param("2027-12-31", 2, "2028-02-29", id="31-dec-plus-2-is-29-feb-leap"),
        pytest.param("2026-01-31", 1, "2026-02-28", id="31-jan-plus-1"),
    ],
)
def test_add_months_gk_174_p3(start: str, months: int, end: str) -> None:
    """gk-174 p. 3: same date of the last month, or its last day if there is none."""
    assert add_months(d(start), months) == d(end)


@pytest.mark.parametrize(
    ("start", "end"),
    [
        pytest.param("2026-01-23", "2026-03-26", id="ends-on-nauryz-moves-past-carry-overs"),
        pytest.param("2026-03-09", "2026-05-12", id="9-may-saturday-and-its-carry-over-11-may"),
        pytest.param("2025-12-31", "2026-03-02", id="28-feb-saturday-moves-to-monday"),
    ],
)
def test_period_end_moves_to_next_working_day_gk_175(start: str, end: str) -> None:
    """gk-175: a period ending on a non-working day ends on the next working day."""
    assert period_end(d(start), 2, kz()) == d(end)


def test_add_working_days_skips_holidays_and_honours_transfers() -> None:
    cal = kz()
    assert cal.add_working_days(d("2026-03-18"), 10) == d("2026-04-06")  # Nauryz 23–25 March
    assert cal.add_working_days(d("2026-12-15"), 1) == d("2026-12-17")  # 16 December
    assert cal.is_working_day(d("2025-01-05"))  # a Sunday made working (transfer)
    assert not cal.is_working_day(d("2025-01-03"))
