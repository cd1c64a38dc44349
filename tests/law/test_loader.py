"""Legal data files load and agree with each other: calendar, provisions, rules."""

from __future__ import annotations

import datetime as dt

import pytest
import yaml

from service.law.loader import load_provisions
from service.rules import RuleKind
from service.rules.loader import load_rule_specs
from tests.cases.builders import LEGAL, kz
from tests.rules.builders import rulebook

FIXED_HOLIDAYS = [(1, 1), (1, 2), (3, 8), (3, 21), (3, 22), (3, 23), (5, 1), (5, 7), (5, 9),
                  (7, 6), (8, 30), (10, 25), (12, 16)]  # fmt: skip
RELIGIOUS_FIXED = [(1, 7)]


def calendar_file() -> dict:
    with (LEGAL / "calendar" / "kz.yaml").open(encoding="utf-8") as handle:
        return yaml.safe_load(handle)


@pytest.mark.parametrize("year", [2025, 2026, 2027])
def test_every_statutory_holiday_is_a_day_off(year: int) -> None:
    """Закон «О праздниках» art. 5 and ТК art. 84 p. 5 (to-confirm, not in verified research)."""
    cal = kz()
    for month, day in FIXED_HOLIDAYS + RELIGIOUS_FIXED:
        assert not cal.is_working_day(dt.date(year, month, day)), (year, month, day)


@pytest.mark.parametrize("year", [2025, 2026, 2027])
def test_carry_overs_follow_the_rule(year: int) -> None:
    """A national/state holiday on a weekend gives the next working day off; religious days
    (7 January, Kurban Ait) are not carried over. The file lists exactly those carry-overs."""
    entries = calendar_file()["years"][year]["non_working"]
    listed = {e["date"] for e in entries if e["kind"] == "carry_over"}
    holidays = {e["date"] for e in entries if e["kind"] in ("holiday", "religious", "transfer")}
    expected = set()
    for month, day in FIXED_HOLIDAYS:
        holiday = dt.date(year, month, day)
        if holiday.weekday() >= 5:
            carry = holiday + dt.timedelta(days=1)
            while carry.weekday() >= 5 or carry in holidays or carry in expected:
                carry += dt.timedelta(days=1)
            expected.add(carry)
    assert listed == expected


def test_calendar_header_says_to_confirm() -> None:
    assert calendar_file()["confidence"] == "to-confirm"


def test_provisions_have_both_languages_source_and_dated_editions() -> None:
    registry = load_provisions(LEGAL)
    for provision in registry.values():
        assert provision.source.startswith("https://adilet.zan.kz/"), provision.id
        assert provision.confidence == "verified-in-source", provision.id
        for edition in provision.editions:
            assert edition.summary["ru"] and edition.summary["kk"], provision.id
        assert provision.cite("ru") and provision.cite("kk")


REQUIRED = [
    "housing-34-p3", "housing-34-1-p1", "housing-34-1-p8", "housing-34-1-p9", "housing-34-1-p10",
    "housing-38", "housing-42-p5", "housing-51-1-p2", "housing-51-1-p5-12", "housing-51-4",
    "notary-92-1-p2-6", "notary-92-1-p3", "notary-92-2-p1-2", "notary-92-2-p3", "notary-92-3",
    "notary-92-6", "notary-92-8", "gpk-29", "gpk-135", "gpk-148-p2-6", "gpk-152-p1-1",
    "gk-173", "gk-174", "gk-175", "gk-178", "gk-179-p3", "gk-180-p2", "gk-183", "gk-353",
    "language-10", "language-11", "language-15", "language-21", "edoc-7-p2-4", "edoc-10",
]  # fmt: skip


def test_registry_holds_every_provision_rules_and_templates_cite() -> None:
    registry = load_provisions(LEGAL)
    assert set(REQUIRED) <= set(registry)
    reform = registry["housing-34-1-p10"].edition_on(dt.date(2026, 1, 1))
    assert reform is not None and reform.effective_from == dt.date(2025, 9, 15)
    assert reform.note and "confirm" in reform.note


def test_every_rule_cites_registered_provisions_and_laws_cite_one() -> None:
    """A lawyer reads rules as data: every citation resolves; every law rule cites a provision;
    the rulebook loads (data and code agree on ids and kinds)."""
    registry = load_provisions(LEGAL)
    for spec in load_rule_specs(LEGAL):
        for pid in (*spec.provisions, *spec.informed_by):
            assert pid in registry, (spec.id, pid)
        assert spec.description["ru"] and spec.description["kk"]
        if spec.kind is RuleKind.LAW:
            assert spec.provisions and not spec.parameters, spec.id
    assert len(rulebook().rules) == 7  # language and route are the kinds' (documents.kinds)
