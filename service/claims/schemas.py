"""The claim as the API returns it (amounts as decimal strings, dates ISO)."""

from __future__ import annotations

import datetime as dt

from service.claims.claim import Claim, ClaimItem, Listed
from service.kernel.money import ZERO, money_str
from service.kit.fields import Out


class ClaimItemOut(Out):
    period: str
    contribution: str
    account: str
    amount: str
    due_date: dt.date
    right_arose: dt.date
    three_years_end: dt.date

    @classmethod
    def of(cls, item: ClaimItem) -> ClaimItemOut:
        return cls(
            period=str(item.period),
            contribution=item.contribution.value,
            account=item.account.value,
            amount=money_str(item.amount),
            due_date=item.due_date,
            right_arose=item.right_arose,
            three_years_end=item.three_years_end,
        )


class ListedOut(ClaimItemOut):
    code: str
    provisions: list[str]
    message: str
    messages: dict[str, str]

    @classmethod
    def listed(cls, listed: Listed) -> ListedOut:
        return cls(
            **ClaimItemOut.of(listed.item).model_dump(),
            code=listed.code,
            provisions=list(listed.provisions),
            message=listed.message.en,
            messages=listed.message.as_dict(),
        )


class FlagOut(Out):
    code: str
    provisions: list[str]
    message: str
    messages: dict[str, str]


class AcknowledgmentRefOut(Out):
    date: dt.date
    source: str


class PenaltyClaimOut(Out):
    included: str
    left_out: str
    provisions: list[str]
    message: str
    messages: dict[str, str]
    acknowledgment: AcknowledgmentRefOut | None


class MonthOut(Out):
    period: str
    contributions: dict[str, str]
    total: str


class VenueOut(Out):
    basis: str
    address: str
    provision: str


class ClaimOut(Out):
    case: str
    route: str
    claim_date: dt.date
    principal: str
    penalty: PenaltyClaimOut
    total: str
    by_month: list[MonthOut]
    items: list[ClaimItemOut]
    excluded: list[ListedOut]
    not_yet_claimable: list[ListedOut]
    lawyer_flags: list[ListedOut | FlagOut]
    venues: list[VenueOut]

    @classmethod
    def of(cls, external_id: str, claim: Claim, extra_flags: list[FlagOut]) -> ClaimOut:
        penalty = claim.penalty
        ack = penalty.acknowledgment
        return cls(
            case=external_id,
            route=claim.route.value,
            claim_date=claim.claim_date,
            principal=money_str(claim.principal),
            penalty=PenaltyClaimOut(
                included=money_str(penalty.included),
                left_out=money_str(penalty.left_out),
                provisions=list(penalty.provisions),
                message=penalty.message.en,
                messages=penalty.message.as_dict(),
                acknowledgment=AcknowledgmentRefOut(date=ack.date, source=ack.source)
                if ack
                else None,
            ),
            total=money_str(claim.total),
            by_month=[
                MonthOut(
                    period=str(period),
                    contributions={k.value: money_str(v) for k, v in row.items()},
                    total=money_str(sum(row.values(), ZERO)),
                )
                for period, row in sorted(claim.by_month().items())
            ],
            items=[ClaimItemOut.of(i) for i in claim.items],
            excluded=[ListedOut.listed(x) for x in claim.excluded],
            not_yet_claimable=[ListedOut.listed(x) for x in claim.not_yet_claimable],
            lawyer_flags=[*(ListedOut.listed(f) for f in claim.flagged), *extra_flags],
            venues=[
                VenueOut(basis=v.basis, address=v.address, provision=v.provision)
                for v in claim.venues
            ],
        )
