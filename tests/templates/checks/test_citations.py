"""Cited provisions: unknown, of an edition the provision never had, superseded; a policy cited
as a provision in the text."""

from __future__ import annotations

import dataclasses
import datetime as dt

from service.law.context import LawContext
from service.law.provisions import Edition, Provision
from service.templates.checks.citations import cited_in_source, declared_problems, source_problems
from service.templates.checks.sources import Piece


@dataclasses.dataclass(frozen=True)
class Cited:
    id: str
    edition_from: dt.date | None


TODAY = dt.date(2026, 11, 24)


def _with_new_edition(provision: Provision, day: dt.date) -> Provision:
    newer = Edition(effective_from=day, summary={"ru": "новая редакция"}, amended_by="Закон X")
    return dataclasses.replace(provision, editions=(*provision.editions, newer))


def test_a_citation_of_the_edition_in_force_passes(law: LawContext) -> None:
    edition = law.provisions["housing-38"].edition_on(TODAY)
    assert edition is not None
    assert (
        declared_problems([Cited("housing-38", edition.effective_from)], law.provisions, TODAY)
        == []
    )
    assert declared_problems([Cited("housing-38", None)], law.provisions, TODAY) == []


def test_an_unknown_provision_is_named(law: LawContext) -> None:
    (problem,) = declared_problems([Cited("housing-99", None)], law.provisions, TODAY)
    assert (problem.code, problem.provision) == ("unknown_provision", "housing-99")


def test_an_edition_the_provision_never_had_is_named(law: LawContext) -> None:
    (problem,) = declared_problems(
        [Cited("housing-38", dt.date(2020, 1, 1))], law.provisions, TODAY
    )
    assert problem.code == "unknown_edition"
    assert "2025-09-15" in problem.message


def test_a_superseded_edition_is_named_with_its_successor(law: LawContext) -> None:
    old = law.provisions["housing-38"].editions[0].effective_from
    provisions = {
        **law.provisions,
        "housing-38": _with_new_edition(law.provisions["housing-38"], dt.date(2026, 7, 1)),
    }
    (problem,) = declared_problems([Cited("housing-38", old)], provisions, TODAY)
    assert (problem.code, problem.provision) == ("provision_superseded", "housing-38")
    assert "2026-07-01" in problem.message and "ст. 38" in problem.message
    # a newer edition not yet in force does not supersede the one in force
    later = {
        **law.provisions,
        "housing-38": _with_new_edition(law.provisions["housing-38"], dt.date(2027, 1, 1)),
    }
    assert declared_problems([Cited("housing-38", old)], later, TODAY) == []


def test_a_policy_cited_in_the_text_is_found_with_its_line(law: LawContext) -> None:
    pieces = [
        Piece('Скидка на пеню#cite-of(t, "penalty-discount").', "common/text-offer.typ", 12),
        Piece('пеня#cite-of(t, "housing-34-1-p9")', "common/text-offer.typ", 13),
        Piece('{{ t.cites["housing-99"] }}', "reminder.docx", where="paragraph 4"),
    ]
    found = cited_in_source(pieces)
    assert [i for i, _ in found] == ["penalty-discount", "housing-34-1-p9", "housing-99"]
    policies = set(law.rulebook.settings)
    problems = source_problems(found, law.provisions, policies)
    assert [(p.code, p.file, p.line, p.where) for p in problems] == [
        ("policy_cited_as_law", "common/text-offer.typ", 12, None),
        ("unknown_provision", "reminder.docx", None, "paragraph 4"),
    ]
