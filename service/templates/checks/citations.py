"""The provisions a version cites: known to ``legal/provisions``, in their current edition, and
never a policy dressed as a provision (pure).

Two sources: the version's declared citations (``[{"id", "edition_from"}]``) and the ids its text
cites through the citation helpers (Typst ``cite-of(t, "housing-34-1-p9")``; Jinja
``t.cites["housing-34-1-p9"]`` or ``t.cites.get("…")``), each with its location.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Mapping, Set

from service.law.provisions import Provision
from service.templates.checks.problem import CitedLike, Problem
from service.templates.checks.sources import Piece

_SOURCE_CITATION = re.compile(
    r"""cite(?:-of)?\(\s*\w+\s*,\s*["']([^"']+)["']"""
    r"""|cites\s*(?:\[|\.get\(|\.at\()\s*["']([^"']+)["']"""
)


def cited_in_source(pieces: Iterable[Piece]) -> list[tuple[str, Piece]]:
    """(provision id, where) for every citation the text makes through a citation helper."""
    found = []
    for piece in pieces:
        for match in _SOURCE_CITATION.finditer(piece.text):
            found.append((match.group(1) or match.group(2), piece))
    return found


def _cite(provision: Provision) -> str:
    return provision.cite("ru")


def declared_problems(
    cited: Iterable[CitedLike], provisions: Mapping[str, Provision], today: dt.date
) -> list[Problem]:
    """A declared citation that is unknown, names an edition the provision never had, or an
    edition a newer one in force ``today`` has superseded."""
    problems = []
    for citation in cited:
        provision = provisions.get(citation.id)
        if provision is None:
            problems.append(
                Problem(
                    "unknown_provision",
                    f"{citation.id} is not a provision in legal/provisions",
                    provision=citation.id,
                )
            )
            continue
        edition = citation.edition_from
        if edition is None:
            continue
        if edition not in {e.effective_from for e in provision.editions}:
            known = ", ".join(sorted(e.effective_from.isoformat() for e in provision.editions))
            problems.append(
                Problem(
                    "unknown_edition",
                    f"{citation.id} ({_cite(provision)}) has no edition of {edition.isoformat()}; "
                    f"its editions: {known}",
                    provision=citation.id,
                )
            )
            continue
        current = provision.edition_on(today)
        if current is not None and current.effective_from > edition:
            problems.append(
                Problem(
                    "provision_superseded",
                    f"{citation.id} ({_cite(provision)}) is cited in its edition of "
                    f"{edition.isoformat()}, superseded by the edition in force since "
                    f"{current.effective_from.isoformat()}",
                    provision=citation.id,
                )
            )
    return problems


def source_problems(
    found: Iterable[tuple[str, Piece]], provisions: Mapping[str, Provision], policies: Set[str]
) -> list[Problem]:
    """A citation in the text of an id that is a policy (never cited as law) or no provision."""
    problems = []
    for provision_id, piece in found:
        if provision_id in provisions:
            continue
        if provision_id in policies:
            problems.append(
                Problem(
                    "policy_cited_as_law",
                    f"cites {provision_id!r}, which is the creditor's policy "
                    "(legal/rules), not a provision of law",
                    file=piece.file,
                    line=piece.line,
                    where=piece.where,
                )
            )
        else:
            problems.append(
                Problem(
                    "unknown_provision",
                    f"cites {provision_id!r}, which is not a provision in legal/provisions",
                    file=piece.file,
                    line=piece.line,
                    where=piece.where,
                    provision=provision_id,
                )
            )
    return problems
