"""Restructuring (instalment) agreements: the schedule and the lifecycle, both pure.

Law (research "What the service must encode", C.11 and A.4):
- The agreement is a written transaction, so it is drawn up in Kazakh and Russian (language law
  art. 15); that is checked by the rules engine, not here.
- It contains the debtor's written acknowledgment of the full debt, including penalty. Signed, it
  interrupts limitation (ГК art. 183: the period restarts from the acknowledgment date) and lets
  the penalty go to the notary route (notary law art. 92-1 p. 3). ``Agreement.acknowledgment``
  records it with the signing date.
- Contributions go to two accounts (housing law art. 34-1 p. 3–4): current, target and parking
  contributions to the current account; accumulative contributions to the savings account. The
  schedule keeps the two apart.
- Instalment dates are monthly from the first due date with the ГК 174 p. 3 month-end clamp
  (31 January → 28/29 February), each moved to the next working day when it is not one (ГК 175),
  so the agreement prints only working days (review #26). Lateness counts from that day.

Policy (configurable, never presented as law; defaults in ``legal/rules/policies.yaml``):
- Equal instalments of principal per account, each rounded down to the tiyn; the remainder goes
  on the LAST.
- Penalty is restructured unless waived (a waiver needs a recorded meeting or board mandate,
  ``creditors.creditor.Mandate``), all of it in the LAST instalment: the agreement says the
  penalty is paid after the whole principal, and the schedule must say the same (review #6). It
  goes to ``penalty_account`` (current by default: the law does not say which account it is;
  to-confirm, review #30).
- Current contributions (not restructured: falling due on or after the issue date) must be paid
  on time while the agreement is in force (agreement cl. 6, review #7). A payment goes to the
  instalments and those contributions in the order of their deadlines, oldest first (cl. 3).
  A current contribution unpaid for more than
  ``default_after_days`` after its (working-day) deadline is a default, like an instalment.
- ``grace_days``: an instalment unpaid for up to this many days after its deadline is not yet
  late. ``default_after_days``: unpaid for more than this many days means the agreement is in
  default, which is final (later payments do not undo it) and unblocks the pre-court letter.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, replace
from decimal import ROUND_DOWN, Decimal
from enum import StrEnum
from typing import Any

from service.cases.debt import ACCOUNT_FOR, Account, Charge, DebtLine
from service.errors import Conflict, FieldError, ValidationFailed
from service.kernel.calendar import ONE_DAY, WorkCalendar, add_months
from service.kernel.money import TIYN, ZERO, money_str


@dataclass(frozen=True)
class Instalment:
    number: int
    """1-based."""
    due_date: dt.date
    """The date written in the agreement: a working day (ГК 175, see ``build_schedule``)."""
    current: Decimal
    """Principal paid to the current account."""
    savings: Decimal
    """Principal paid to the savings account."""
    penalty: Decimal = Decimal("0.00")
    """Penalty part, paid to the schedule's ``penalty_account``; its own column, so the
    agreement shows principal and penalty apart."""

    @property
    def total(self) -> Decimal:
        return self.current + self.savings + self.penalty

    def wire(self) -> dict[str, Any]:
        """As stored with the agreement and in the document's facts (money as strings)."""
        return {
            "number": self.number,
            "due": self.due_date.isoformat(),
            "current": money_str(self.current),
            "savings": money_str(self.savings),
            "penalty": money_str(self.penalty),
            "total": money_str(self.total),
        }


@dataclass(frozen=True)
class Schedule:
    instalments: tuple[Instalment, ...]
    principal: dict[Account, Decimal]
    """Restructured principal per account."""
    penalty: Decimal
    """Restructured penalty (zero when waived)."""
    penalty_waived: Decimal
    """Penalty given up by the creditor (needs a meeting or board mandate)."""
    penalty_account: Account

    def __post_init__(self) -> None:
        # The agreement states these sums: a schedule whose rows do not add up to them is a bug,
        # never a document.
        columns = {
            "current": (sum((i.current for i in self.instalments), ZERO), Account.CURRENT),
            "savings": (sum((i.savings for i in self.instalments), ZERO), Account.SAVINGS),
        }
        for name, (scheduled, account) in columns.items():
            if scheduled != self.principal.get(account, ZERO):
                raise ValueError(f"the {name} column adds up to {scheduled}, not the principal")
        if sum((i.penalty for i in self.instalments), ZERO) != self.penalty:
            raise ValueError("the penalty column does not add up to the restructured penalty")

    def total_for(self, account: Account) -> Decimal:
        extra = self.penalty if account is self.penalty_account else ZERO
        return self.principal.get(account, ZERO) + extra

    @property
    def total(self) -> Decimal:
        return sum((i.total for i in self.instalments), ZERO)


def build_schedule(
    lines: Sequence[DebtLine],
    penalty: Decimal,
    installments: int,
    first_due: dt.date,
    *,
    waive_penalty: bool = False,
    penalty_account: Account = Account.CURRENT,
    calendar: WorkCalendar | None = None,
) -> Schedule:
    """Equal monthly instalments of principal per account, tiyn-exact, the remainder on the last
    one; the penalty (unless ``waive_penalty``) whole in the last one.

    ``lines`` are the debt lines to restructure (their ``outstanding`` amounts); ``penalty`` is
    the penalty total to include unless ``waive_penalty``. With a ``calendar`` every date that is
    not a working day moves to the next working day (ГК 175); the month sequence still counts from
    ``first_due`` (a moved date does not shift the later ones).
    """
    errors = []
    if installments < 1:
        errors.append(FieldError("installments", "min", "at least one instalment is needed"))
    if penalty < 0:
        errors.append(FieldError("penalty", "negative", "penalty cannot be negative"))
    if errors:
        raise ValidationFailed(errors)
    principal = {account: ZERO for account in Account}
    for line in lines:
        principal[ACCOUNT_FOR[line.contribution]] += line.outstanding
    included = ZERO if waive_penalty else penalty
    if sum(principal.values(), ZERO) + included <= 0:
        raise ValidationFailed([FieldError("lines", "nothing_owed", "nothing to restructure")])
    split = {account: _split(principal[account], installments) for account in Account}
    penalty_parts = [ZERO] * (installments - 1) + [included]

    def due(index: int) -> dt.date:
        day = add_months(first_due, index)
        return calendar.next_working_day(day) if calendar is not None else day

    instalments = tuple(
        Instalment(
            number=index + 1,
            due_date=due(index),
            current=split[Account.CURRENT][index],
            savings=split[Account.SAVINGS][index],
            penalty=penalty_parts[index],
        )
        for index in range(installments)
    )
    return Schedule(
        instalments=instalments,
        principal=principal,
        penalty=included,
        penalty_waived=penalty - included,
        penalty_account=penalty_account,
    )


def _split(total: Decimal, parts: int) -> list[Decimal]:
    each = (total / parts).quantize(TIYN, rounding=ROUND_DOWN)
    return [each] * (parts - 1) + [total - each * (parts - 1)]


class AgreementState(StrEnum):
    DRAFT = "draft"
    ISSUED = "issued"
    ACTIVE = "active"
    """Signed by the debtor; no instalment is due yet."""
    PERFORMING = "performing"
    LATE = "late"
    DEFAULTED = "defaulted"
    COMPLETED = "completed"


SUPERSEDED = "superseded"
"""The stored state of an offer left unsigned when another agreement of the case was signed: it
cannot be signed (reliability review D4)."""
DEFAULT_CLAUSE = "5"
"""The clause of the agreement's text (``templates/common/text-restructuring.typ``) that defines
default and what follows; stored with each agreement when it is issued, so a later pre-court
letter quotes the clause of the text the debtor signed (legal review #12). Change it together
with the text (a test reads the issued agreement back)."""
EARLIER_DEFAULT_CLAUSE = "5"
"""The default clause of agreements recorded before their clause was stored."""

IN_FORCE = frozenset({AgreementState.ACTIVE, AgreementState.PERFORMING, AgreementState.LATE})
"""Signed, not completed and not in default: the agreement is being performed."""


@dataclass(frozen=True)
class AgreementTerms:
    """What counts as late and as default: written into the agreement when it is drafted."""

    grace_days: int
    """Calendar days after an instalment's deadline before it counts as late."""
    default_after_days: int
    """An instalment unpaid for more than this many days after its deadline is a default."""


@dataclass(frozen=True)
class Acknowledgment:
    """The debtor's written acknowledgment of the debt (ГК art. 183; notary law art. 92-1 p. 3)."""

    date: dt.date
    source: str
    """``agreement``, ``letter`` (a signed reply), or another recorded form."""
    document_id: str | None = None
    notarised: bool = False
    """A notary certified it (notary law art. 92-1 p. 3 asks for that, unless the contract says
    otherwise, before penalty goes to an executive inscription)."""


@dataclass(frozen=True)
class AgreementPayment:
    date: dt.date
    amount: Decimal


@dataclass(frozen=True)
class Agreement:
    id: str
    schedule: Schedule
    terms: AgreementTerms
    issued_on: dt.date | None = None
    signed_on: dt.date | None = None
    payments: tuple[AgreementPayment, ...] = ()
    document_id: str | None = None
    """The issued document that is this agreement (its acknowledgment is quoted by number)."""
    charges: tuple[Charge, ...] = ()
    """The case's charges; those due on or after the issue date are the current contributions
    the debtor keeps paying beside the schedule (cl. 6; ``current_dues``)."""
    superseded: bool = False
    """An offer left unsigned when another agreement of the case was signed: it can no longer
    be signed (reliability review D4)."""

    def current_dues(self, calendar: WorkCalendar) -> tuple[tuple[dt.date, Decimal], ...]:
        """(deadline, amount) of each current contribution the agreement obliges the debtor to
        pay, oldest first: charges not overdue on the issue date (so not in the schedule) whose
        deadline (a working day, ГК 175) falls while the agreement is in force, from signing.

        Only payments from the signing date count (``agreements.service``), so a contribution
        paid in advance before signing would look unpaid: such a case is for the creditor to
        correct in the ledger (the payment's date), it is not inferred here."""
        if self.issued_on is None or self.signed_on is None:
            return ()
        issued_on, signed_on = self.issued_on, self.signed_on
        dues = [(c.legal_due_date(calendar), c.amount) for c in self.charges]
        return tuple(sorted((d, a) for d, a in dues if d >= issued_on and d >= signed_on and a > 0))

    def issue(self, on: dt.date) -> Agreement:
        if self.issued_on is not None:
            raise AgreementStateError(f"agreement {self.id} was already issued")
        return replace(self, issued_on=on)

    def sign(self, on: dt.date) -> Agreement:
        """The debtor signed: the agreement is active and its acknowledgment is recorded."""
        if self.issued_on is None:
            raise AgreementStateError(f"agreement {self.id} must be issued before it is signed")
        if self.signed_on is not None:
            raise AgreementStateError(f"agreement {self.id} was already signed")
        if on < self.issued_on:
            raise AgreementStateError("the signing date is before the issue date")
        return replace(self, signed_on=on)

    def record_payment(self, payment: AgreementPayment) -> Agreement:
        if self.signed_on is None:
            raise AgreementStateError(f"agreement {self.id} is not signed: nothing to pay yet")
        return replace(self, payments=(*self.payments, payment))

    @property
    def acknowledgment(self) -> Acknowledgment | None:
        if self.signed_on is None:
            return None
        return Acknowledgment(date=self.signed_on, source="agreement", document_id=self.document_id)


class AgreementStateError(Conflict):
    code = "agreement_state"


@dataclass(frozen=True)
class InstalmentStatus:
    instalment: Instalment
    deadline: dt.date
    """The due date, moved to the next working day if it is not one (ГК 175)."""
    paid: Decimal
    paid_in_full_on: dt.date | None
    days_late: int
    """Days past the deadline the instalment was (or still is) unpaid, as of the assessment."""

    @property
    def outstanding(self) -> Decimal:
        return self.instalment.total - self.paid

    def state(self, as_of: dt.date, terms: AgreementTerms) -> InstalmentState:
        """Where this instalment stands on ``as_of`` under the agreement's terms."""
        if self.outstanding <= 0:
            return InstalmentState.PAID if self.days_late == 0 else InstalmentState.PAID_LATE
        if self.deadline >= as_of:
            return InstalmentState.UPCOMING
        if self.days_late > terms.default_after_days:
            return InstalmentState.DEFAULTED
        if self.days_late > terms.grace_days:
            return InstalmentState.LATE
        return InstalmentState.IN_GRACE


class InstalmentState(StrEnum):
    PAID = "paid"
    PAID_LATE = "paid_late"
    UPCOMING = "upcoming"
    IN_GRACE = "in_grace"
    """Past its deadline, within the grace days."""
    LATE = "late"
    DEFAULTED = "defaulted"


@dataclass(frozen=True)
class CurrentDueStatus:
    """A current contribution the agreement obliges the debtor to keep paying (cl. 6)."""

    deadline: dt.date
    amount: Decimal
    paid: Decimal
    days_late: int

    @property
    def outstanding(self) -> Decimal:
        return self.amount - self.paid


@dataclass(frozen=True)
class AgreementStatus:
    state: AgreementState
    as_of: dt.date
    instalments: tuple[InstalmentStatus, ...]
    paid: Decimal
    outstanding: Decimal
    defaulted_on: dt.date | None
    """The first day the agreement was in default (final once reached)."""
    current: tuple[CurrentDueStatus, ...] = ()
    """Current contributions due while the agreement is in force, and how they were paid."""


def assess(agreement: Agreement, on_date: dt.date, calendar: WorkCalendar) -> AgreementStatus:
    """The agreement's state on ``on_date``, from its schedule and the payments made by then."""
    schedule = agreement.schedule
    statuses, current = _match(agreement, on_date, calendar)
    paid = sum((s.paid for s in statuses), ZERO)
    outstanding = schedule.total - paid
    obligations: list[InstalmentStatus | CurrentDueStatus] = [*statuses, *current]
    defaulted_on = _defaulted_on(obligations, agreement.terms, on_date)
    if agreement.issued_on is None or agreement.issued_on > on_date:
        state = AgreementState.DRAFT
    elif agreement.signed_on is None or agreement.signed_on > on_date:
        state = AgreementState.ISSUED
    elif defaulted_on is not None:
        state = AgreementState.DEFAULTED
    elif outstanding <= 0:
        state = AgreementState.COMPLETED
    elif any(s.outstanding > 0 and s.days_late > agreement.terms.grace_days for s in obligations):
        state = AgreementState.LATE
    elif any(s.deadline < on_date for s in statuses):
        state = AgreementState.PERFORMING
    else:
        state = AgreementState.ACTIVE
    return AgreementStatus(state, on_date, statuses, paid, outstanding, defaulted_on, current)


def _match(
    agreement: Agreement, on_date: dt.date, calendar: WorkCalendar
) -> tuple[tuple[InstalmentStatus, ...], tuple[CurrentDueStatus, ...]]:
    """Payments made by ``on_date`` applied to the agreement's obligations — instalments and the
    current contributions of cl. 6 — in the order of their deadlines, oldest first (cl. 3). So
    a payment neither goes to a contribution not yet due while an instalment is due (which
    would make a debtor who pays on time late on the schedule), nor leaves a due contribution
    unpaid to prepay later instalments."""
    instalments = agreement.schedule.instalments
    paid = [ZERO for _ in instalments]
    full_on: list[dt.date | None] = [None for _ in instalments]
    dues = agreement.current_dues(calendar)
    due_paid = [ZERO for _ in dues]
    due_full_on: list[dt.date | None] = [None for _ in dues]
    # (deadline, 0 for a contribution and 1 for an instalment on the same day, index)
    obligations = sorted(
        [(deadline, 0, index) for index, (deadline, _) in enumerate(dues)]
        + [
            (calendar.next_working_day(instalment.due_date), 1, index)
            for index, instalment in enumerate(instalments)
        ]
    )
    for payment in sorted(agreement.payments, key=lambda p: p.date):
        if payment.date > on_date:
            continue
        left = payment.amount
        for _, is_instalment, index in obligations:
            if left <= 0:
                break
            if is_instalment:
                applied = min(instalments[index].total - paid[index], left)
                if applied <= 0:
                    continue
                paid[index] += applied
                left -= applied
                if paid[index] >= instalments[index].total:
                    full_on[index] = payment.date
            else:
                applied = min(dues[index][1] - due_paid[index], left)
                if applied <= 0:
                    continue
                due_paid[index] += applied
                left -= applied
                if due_paid[index] >= dues[index][1]:
                    due_full_on[index] = payment.date
    statuses = []
    for index, instalment in enumerate(instalments):
        deadline = calendar.next_working_day(instalment.due_date)
        settled = full_on[index] or on_date
        statuses.append(
            InstalmentStatus(
                instalment=instalment,
                deadline=deadline,
                paid=paid[index],
                paid_in_full_on=full_on[index],
                days_late=max(0, (settled - deadline).days),
            )
        )
    # The agreement ends with its schedule: a contribution falling due after the last instalment
    # was paid is no longer an obligation under it.
    completed_on = max(full_on) if full_on and all(full_on) else None  # type: ignore[type-var]
    current = tuple(
        CurrentDueStatus(
            deadline=deadline,
            amount=amount,
            paid=due_paid[index],
            days_late=max(0, ((due_full_on[index] or on_date) - deadline).days),
        )
        for index, (deadline, amount) in enumerate(dues)
        if (deadline < on_date or due_paid[index] > 0)
        and (completed_on is None or deadline <= completed_on)
    )
    return tuple(statuses), current


def _defaulted_on(
    statuses: Sequence[InstalmentStatus | CurrentDueStatus],
    terms: AgreementTerms,
    on_date: dt.date,
) -> dt.date | None:
    """The day an instalment, or a current contribution (cl. 6, review #7), first went more than
    ``default_after_days`` past its deadline."""
    days = [
        s.deadline + dt.timedelta(days=terms.default_after_days) + ONE_DAY
        for s in statuses
        if s.days_late > terms.default_after_days
    ]
    first = min(days) if days else None
    return first if first is not None and first <= on_date else None
