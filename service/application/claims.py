"""``GET /v1/cases/{id}/claim``: what the creditor may claim today through a notary or a court.

The arithmetic and the law are in ``service.domain.claim``; this use case loads the case,
its acknowledgments (recorded ones and those in signed agreements) and the addresses, and puts
the result in wire form with the lawyer's flags. Addresses: the property from the creditor's
address and the unit; the debtor's residence from the postal address the client sent (the
registration address is not part of the contract, so it is never assumed).
"""

from __future__ import annotations

from typing import Any

from service.application.auth import Permission, Principal
from service.application.history import case_state
from service.application.kind_facts import venue_facts
from service.bootstrap import Container
from service.db import repositories as repo
from service.db import rules_repository as rules_repo
from service.domain.claim import Addresses, Claim, ClaimItem, Listed, build_claim
from service.domain.money import ZERO, money_str
from service.domain.rules import Route
from service.domain.rules.model import Message
from service.errors import FieldError, ValidationFailed

NOT_NOTARISED = Message(
    ru="Признание долга не удостоверено нотариусом: по п. 3 ст. 92-1 Закона о нотариате пеня "
    "взыскивается по исполнительной надписи, если признание удостоверено нотариусом, если "
    "договором не предусмотрено иное — проверьте до обращения.",
    kk="Борышты мойындау нотариатта куәландырылмаған: «Нотариат туралы» Заңның 92-1-бабының "
    "3-тармағы бойынша, егер шартта өзгеше көзделмесе, өсімпұл мойындау нотариатта "
    "куәландырылған жағдайда өндіріледі — жүгінбес бұрын тексеріңіз.",
    en="The acknowledgment is not notarised: notary law art. 92-1 p. 3 lets penalty go to an "
    "executive endorsement when the notary certified the acknowledgment, unless the contract "
    "says otherwise; check before applying.",
)


def get_claim(
    c: Container, principal: Principal, external_id: str, route: str | None
) -> dict[str, Any]:
    principal.require(Permission.READ)
    try:
        chosen = Route(route or Route.NOTARY.value)
    except ValueError:
        raise ValidationFailed(
            [FieldError("route", "unknown_value", "route is notary or court")]
        ) from None
    with c.db.transaction(read_only=True) as session:
        state = case_state(c, session, principal.creditor(), external_id)
        creditor = repo.get_creditor(session, state.case.creditor_id)
        notarised = {
            (row.date, row.source): row.notarised
            for row in rules_repo.acknowledgments_of_case(session, state.case.id)
        }
    venue = venue_facts(state.case, creditor.profile)
    addresses = Addresses(
        property=str(venue["property_address"]), residence=venue["debtor_address"] or None
    )
    claim = build_claim(
        state.debt,
        state.penalty,
        chosen,
        state.history.all_acknowledgments(),
        addresses,
        c.calendar,
    )
    flags = [_listed(f) for f in claim.flagged]
    ack = claim.penalty.acknowledgment
    if (
        ack is not None
        and claim.penalty.included > ZERO
        and not notarised.get((ack.date, ack.source), False)
    ):
        flags.append(
            {
                "code": "acknowledgment_not_notarised",
                "provisions": ["notary-92-1-p3"],
                "message": NOT_NOTARISED.en,
                "messages": NOT_NOTARISED.as_dict(),
            }
        )
    return claim_json(external_id, claim, flags)


def claim_json(external_id: str, claim: Claim, flags: list[dict[str, Any]]) -> dict[str, Any]:
    penalty = claim.penalty
    return {
        "case": external_id,
        "route": claim.route.value,
        "claim_date": claim.claim_date.isoformat(),
        "principal": money_str(claim.principal),
        "penalty": {
            "included": money_str(penalty.included),
            "left_out": money_str(penalty.left_out),
            "provisions": list(penalty.provisions),
            "message": penalty.message.en,
            "messages": penalty.message.as_dict(),
            "acknowledgment": (
                {
                    "date": penalty.acknowledgment.date.isoformat(),
                    "source": penalty.acknowledgment.source,
                }
                if penalty.acknowledgment
                else None
            ),
        },
        "total": money_str(claim.total),
        "by_month": [
            {
                "period": str(period),
                "contributions": {k.value: money_str(v) for k, v in row.items()},
                "total": money_str(sum(row.values(), ZERO)),
            }
            for period, row in sorted(claim.by_month().items())
        ],
        "items": [_item(i) for i in claim.items],
        "excluded": [_listed(x) for x in claim.excluded],
        "not_yet_claimable": [_listed(x) for x in claim.not_yet_claimable],
        "lawyer_flags": flags,
        "venues": [
            {"basis": v.basis, "address": v.address, "provision": v.provision} for v in claim.venues
        ],
    }


def _item(item: ClaimItem) -> dict[str, Any]:
    return {
        "period": str(item.period),
        "contribution": item.contribution.value,
        "account": item.account.value,
        "amount": money_str(item.amount),
        "due_date": item.due_date.isoformat(),
        "right_arose": item.right_arose.isoformat(),
        "three_years_end": item.three_years_end.isoformat(),
    }


def _listed(listed: Listed) -> dict[str, Any]:
    return {
        **_item(listed.item),
        "code": listed.code,
        "provisions": list(listed.provisions),
        "message": listed.message.en,
        "messages": listed.message.as_dict(),
    }
