"""``GET /v1/cases/{id}/claim``: the case, its history and creditor in; the claim out.

The claim is ``claims.claim.case_claim``, the same call the pre-court letter makes (#12).
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy.orm import Session

from service.cases import repository as cases
from service.claims.claim import case_claim
from service.claims.schemas import ClaimOut, FlagOut
from service.creditors import repository as creditors
from service.creditors.auth import Permission, Principal
from service.discounts import service as discounts
from service.kernel.money import ZERO
from service.kernel.route import Route
from service.kernel.text import Message
from service.law.context import LawContext

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
    session: Session,
    caller: Principal,
    law: LawContext,
    today: dt.date,
    external_id: str,
    chosen: Route,
) -> ClaimOut:
    caller.require(Permission.READ)
    case = cases.load(session, caller.creditor(), external_id)
    creditor = creditors.get(session, case.creditor_id)
    debt, history = discounts.assess_case(session, case, creditor, today, law)  # net of #36
    claim = case_claim(case, creditor, debt, history, chosen, law.calendar)
    flags = []
    ack = claim.penalty.acknowledgment
    if ack is not None and claim.penalty.included > ZERO and not ack.notarised:
        flags.append(
            FlagOut(
                code="acknowledgment_not_notarised",
                provisions=["notary-92-1-p3"],
                message=NOT_NOTARISED.en,
                messages=NOT_NOTARISED.as_dict(),
            )
        )
    return ClaimOut.of(external_id, claim, flags)
