"""What a creditor may claim through a notary or a court, item by item, with the reasons.

Law (research "What the service must encode", A.3, B.7, D.16):
- Only items past the two-month gate may be claimed (housing law art. 34-1 p. 10); newer unpaid
  items are listed apart as not yet claimable.
- Notary route (notary law art. 92-1 p. 2 sub-para 6): principal contributions by month and
  type; penalty ONLY with a recorded written acknowledgment of the debt (art. 92-1 p. 3), and
  only on items the acknowledgment covered (due on or before its date); items whose right to
  claim arose more than 3 years before the claim date are excluded and listed (art. 92-2 p. 1–2:
  the right arises when the due date ends, ГК 180 p. 2; the 3 years end per ГК 174/175).
  Venue: the notary at the debtor's registration or residence, or where the property is
  (art. 92-2 p. 3).
- Court route: no exclusion, but items older than 3 years are flagged for a lawyer. The general
  limitation period is 3 years (ГК 178) and a court applies it only if the debtor asks (ГК 179
  p. 1–2); the housing law now says limitation does not apply to contribution debts (art. 34-1
  p. 9 part 2, since ≈ 15 September 2025). Whether that reaches debts already time-barred
  before the reform, and how it meets the notary's 3-year limit, is UNCLEAR in the research:
  the flags say so and leave the decision to a lawyer. Penalty on such items is flagged too
  (ГК 179 p. 3). Venue: the defendant's residence (ГПК art. 29).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from service.agreements.restructuring import Acknowledgment
from service.cases.case import CaseDebt, DebtCase
from service.cases.debt import ACCOUNT_FOR, Account, Contribution, DebtLine, DebtSummary
from service.cases.penalty import PenaltyResult
from service.creditors.creditor import Creditor
from service.documents.wording import property_address
from service.kernel.calendar import ONE_DAY, WorkCalendar, period_end
from service.kernel.money import ZERO
from service.kernel.period import Period
from service.kernel.route import Route
from service.kernel.text import Message
from service.rules.history import CaseHistory

LIMIT_MONTHS = 36


@dataclass(frozen=True)
class ClaimItem:
    period: Period
    contribution: Contribution
    account: Account
    amount: Decimal
    due_date: dt.date
    right_arose: dt.date
    """The day after the due date (ГК 180 p. 2)."""
    three_years_end: dt.date
    """Last day of the 3 years from the due date (ГК 174, 175)."""


@dataclass(frozen=True)
class Listed:
    """An item left out of the claim, or flagged in it, with the reason."""

    item: ClaimItem
    code: str
    provisions: tuple[str, ...]
    message: Message


@dataclass(frozen=True)
class PenaltyPart:
    included: Decimal
    left_out: Decimal
    provisions: tuple[str, ...]
    message: Message
    acknowledgment: Acknowledgment | None


@dataclass(frozen=True)
class VenueHint:
    basis: str
    """``registration``, ``residence`` or ``property``."""
    address: str
    provision: str


@dataclass(frozen=True)
class Addresses:
    property: str
    registration: str | None = None
    residence: str | None = None

    @classmethod
    def of(cls, case: DebtCase, creditor: Creditor) -> Addresses:
        """The property from the creditor's address and the unit; the debtor's residence from
        the postal address the client sent (the registration address is not part of the
        contract, so it is never assumed)."""
        unit = case.unit
        postal = case.debtor.postal()  # the claim speaks Russian, like the property address
        return cls(
            property=property_address(creditor.address.ru, unit.type, unit.number, "ru"),
            residence=postal.ru if postal else None,
        )


@dataclass(frozen=True)
class Claim:
    route: Route
    claim_date: dt.date
    items: tuple[ClaimItem, ...]
    not_yet_claimable: tuple[Listed, ...]
    excluded: tuple[Listed, ...]
    flagged: tuple[Listed, ...]
    penalty: PenaltyPart
    venues: tuple[VenueHint, ...]

    @property
    def principal(self) -> Decimal:
        return sum((i.amount for i in self.items), ZERO)

    @property
    def total(self) -> Decimal:
        return self.principal + self.penalty.included

    def by_month(self) -> dict[Period, dict[Contribution, Decimal]]:
        months: dict[Period, dict[Contribution, Decimal]] = {}
        for item in self.items:
            row = months.setdefault(item.period, {})
            row[item.contribution] = row.get(item.contribution, ZERO) + item.amount
        return months


def case_claim(
    case: DebtCase,
    creditor: Creditor,
    debt: CaseDebt,
    history: CaseHistory,
    route: Route,
    calendar: WorkCalendar,
) -> Claim:
    """What may be claimed on ``debt``'s date by ``route``: the one computation behind the claim
    endpoint and the pre-court letter (#12, #32)."""
    return build_claim(
        debt.summary,
        debt.penalty,
        route,
        history.all_acknowledgments(),
        Addresses.of(case, creditor),
        calendar,
    )


def build_claim(
    summary: DebtSummary,
    penalty: PenaltyResult,
    route: Route,
    acknowledgments: Sequence[Acknowledgment],
    addresses: Addresses,
    calendar: WorkCalendar,
) -> Claim:
    """The claim on ``summary.as_of`` (compute the debt and penalty as of the claim date)."""
    claim_date = summary.as_of
    claimable: list[ClaimItem] = []
    not_yet: list[Listed] = []
    excluded: list[Listed] = []
    flagged: list[Listed] = []
    acks = [a for a in acknowledgments if a.date <= claim_date]
    for line in summary.lines:
        if line.outstanding <= 0:
            continue
        item = _item(line, calendar)
        if line.gate_opens > claim_date:
            not_yet.append(_not_yet(item, line.gate_opens))
        elif claim_date > item.three_years_end:
            old = _old_item(item, route, acks)
            (excluded if route is Route.NOTARY else flagged).append(old)
            if route is Route.COURT:
                claimable.append(item)
        else:
            claimable.append(item)
    penalty_part = _penalty(penalty, route, claimable, flagged, acks)
    return Claim(
        route=route,
        claim_date=claim_date,
        items=tuple(claimable),
        not_yet_claimable=tuple(not_yet),
        excluded=tuple(excluded),
        flagged=tuple(flagged),
        penalty=penalty_part,
        venues=_venues(route, addresses),
    )


def _item(line: DebtLine, calendar: WorkCalendar) -> ClaimItem:
    return ClaimItem(
        period=line.period,
        contribution=line.contribution,
        account=ACCOUNT_FOR[line.contribution],
        amount=line.outstanding,
        due_date=line.due_date,
        right_arose=line.due_date + ONE_DAY,
        three_years_end=period_end(line.due_date, LIMIT_MONTHS, calendar),
    )


def _not_yet(item: ClaimItem, opens: dt.date) -> Listed:
    return Listed(
        item,
        "before_gate",
        ("housing-34-1-p10",),
        Message(
            ru=f"два месяца после срока уплаты не истекли: можно требовать с {opens:%d.%m.%Y}",
            kk=f"төлем мерзімінен кейін екі ай өтпеді: {opens:%d.%m.%Y} бастап талап етуге болады",
            en=f"two months after the due date have not passed: claimable from {opens}",
        ),
    )


def _old_item(item: ClaimItem, route: Route, acks: Sequence[Acknowledgment]) -> Listed:
    later = [a for a in acks if a.date > item.due_date]
    ack_note = (
        Message(
            ru=f" Долг признан письменно {later[-1].date:%d.%m.%Y} (ст. 183 ГК: давность "
            "прерывается) — продлевает ли это трёхлетний срок нотариуса, решает юрист.",
            kk=f" Борыш {later[-1].date:%d.%m.%Y} жазбаша мойындалған (АК 183-бабы: мерзім "
            "үзіледі) — бұл нотариустың үш жылдық мерзімін ұзарта ма, заңгер шешеді.",
            en=f" The debt was acknowledged in writing on {later[-1].date} (ГК 183 interrupts "
            "limitation); whether that extends the notary's 3 years is for a lawyer.",
        )
        if later
        else Message("", "", "")
    )
    unclear = Message(
        ru=" По п. 9 ст. 34-1 Закона о жилищных отношениях давность на взносы не "
        "распространяется; как это соотносится с этим сроком (и с долгами, по которым "
        "давность истекла до реформы 2025 года), не ясно — нужен юрист.",
        kk=" «Тұрғын үй қатынастары туралы» Заңның 34-1-бабының 9-тармағына сәйкес жарналарға "
        "ескіру мерзімі қолданылмайды; мұның осы мерзіммен (және 2025 жылғы реформаға дейін "
        "мерзімі өткен борыштармен) арақатынасы анық емес — заңгер қажет.",
        en=" Housing law art. 34-1 p. 9 says limitation does not apply to contributions; how "
        "that meets this limit (and debts time-barred before the 2025 reform) is unclear: a "
        "lawyer must decide.",
    )
    if route is Route.NOTARY:
        base = Message(
            ru="право требования возникло более трёх лет назад: исполнительная надпись "
            "невозможна (ст. 92-2 Закона о нотариате).",
            kk="талап ету құқығы үш жылдан астам бұрын туындады: атқарушылық жазба мүмкін емес "
            "(«Нотариат туралы» Заңның 92-2-бабы).",
            en="the right to claim arose more than three years ago: no executive endorsement "
            "(notary law art. 92-2).",
        )
        provisions: tuple[str, ...] = ("notary-92-2-p1-2", "gk-180-p2", "housing-34-1-p9")
        code = "older_than_3_years"
    else:
        base = Message(
            ru="старше трёх лет (общий срок давности, ст. 178 ГК): суд применяет давность "
            "только по заявлению должника (ст. 179 ГК); пеня по такому долгу — п. 3 ст. 179 ГК.",
            kk="үш жылдан асқан (жалпы ескіру мерзімі, АК 178-бабы): сот ескіруді тек "
            "борышкердің өтініші бойынша қолданады (АК 179-бабы); мұндай борыш бойынша "
            "өсімпұл — АК 179-бабының 3-тармағы.",
            en="older than three years (general limitation, ГК 178): a court applies limitation "
            "only if the debtor asks (ГК 179); penalty on it: ГК 179 p. 3.",
        )
        provisions = ("gk-178", "gk-179-p1-2", "gk-179-p3", "housing-34-1-p9")
        code = "lawyer_review_older_than_3_years"
    return Listed(
        item,
        code,
        provisions,
        base + unclear + ack_note,
    )


def _penalty(
    penalty: PenaltyResult,
    route: Route,
    claimable: Sequence[ClaimItem],
    flagged: Sequence[Listed],
    acks: Sequence[Acknowledgment],
) -> PenaltyPart:
    keys = {(i.period, i.contribution): i for i in claimable}
    # Per line, net of any penalty discount the debtor earned (#36): the same penalty the case
    # and every document state.
    on_claimable = {key: owed for key, owed in penalty.by_line().items() if key in keys}
    eligible = sum(on_claimable.values(), ZERO)
    if route is Route.COURT:
        old = {(f.item.period, f.item.contribution) for f in flagged}
        on_old = sum((owed for key, owed in on_claimable.items() if key in old), ZERO)
        return PenaltyPart(
            included=eligible,
            left_out=penalty.total - eligible,
            provisions=("housing-34-1-p9", penalty.policy.provision),
            message=Message(
                ru=f"пеня включена; из неё {on_old} — по долгу старше трёх лет (п. 3 ст. 179 ГК)",
                kk=f"өсімпұл енгізілді; оның {on_old} — үш жылдан асқан борыш бойынша "
                "(АК 179-бабының 3-тармағы)",
                en=f"penalty included; {on_old} of it is on debt older than three years "
                "(ГК 179 p. 3)",
            ),
            acknowledgment=None,
        )
    if not acks:
        return PenaltyPart(
            included=ZERO,
            left_out=penalty.total,
            provisions=("notary-92-1-p3",),
            message=Message(
                ru="пеня не включена: нет письменного признания долга (п. 3 ст. 92-1 Закона о "
                "нотариате); её можно взыскать в суде",
                kk="өсімпұл енгізілмеді: борышты жазбаша мойындау жоқ («Нотариат туралы» Заңның "
                "92-1-бабының 3-тармағы); оны сот арқылы өндіріп алуға болады",
                en="penalty left out: no written acknowledgment of the debt (notary law "
                "art. 92-1 p. 3); it can be claimed in court",
            ),
            acknowledgment=None,
        )
    ack = acks[-1]
    covered = sum(
        (owed for key, owed in on_claimable.items() if keys[key].due_date <= ack.date), ZERO
    )
    return PenaltyPart(
        included=covered,
        left_out=penalty.total - covered,
        provisions=("notary-92-1-p3", penalty.policy.provision),
        message=Message(
            ru=f"пеня включена: долг признан письменно {ack.date:%d.%m.%Y}; пеня по суммам со "
            "сроком уплаты после признания не включена",
            kk=f"өсімпұл енгізілді: борыш {ack.date:%d.%m.%Y} жазбаша мойындалды; төлем мерзімі "
            "мойындаудан кейінгі сомалар бойынша өсімпұл енгізілмеді",
            en=f"penalty included: the debt was acknowledged in writing on {ack.date}; penalty "
            "on amounts due after the acknowledgment is left out",
        ),
        acknowledgment=ack,
    )


def _venues(route: Route, addresses: Addresses) -> tuple[VenueHint, ...]:
    if route is Route.COURT:
        place = addresses.residence or addresses.registration
        return (VenueHint("residence", place, "gpk-29"),) if place else ()
    hints = []
    if addresses.registration:
        hints.append(VenueHint("registration", addresses.registration, "notary-92-2-p3"))
    if addresses.residence and addresses.residence != addresses.registration:
        hints.append(VenueHint("residence", addresses.residence, "notary-92-2-p3"))
    hints.append(VenueHint("property", addresses.property, "notary-92-2-p3"))
    return tuple(hints)
