"""The default notice ladder: one pure check per rule id (research "What the service must encode").

[LAW]     overdue-required                 a debt notice needs an overdue item (housing 34-1 p. 8)
[LAW]     pretrial-two-month-gate          an unpaid item past due date + 2 months (34-1 p. 10,
                                           ГК 174 p. 3, ГК 175); passes_on = earliest gate opening
[POLICY]  warning-after-reminder-delivery  a delivered reminder + N working days, from delivery
[POLICY]  pretrial-after-warning-deadline  a delivered warning whose payment deadline has passed
[POLICY]  pretrial-not-during-agreement    no restructuring agreement in force (default unblocks)
[POLICY]  restructuring-not-during-agreement  one agreement in force at a time

What a document *is* — its language and, for a pre-court letter, its route — is checked with the
request's fields by the document kind (``service.documents.kinds``: a restructuring agreement is
always bilingual, language law art. 15; a pre-court letter names the notary or the court route,
housing law art. 34-1 p. 10). Rules here look at the case's history and dates only.

Waiting periods count from the recorded delivery, never from sending; an undelivered document
does not count; returned/refused letters count only if the rule's policy parameter says so.
Only documents issued during the current arrears (on or after the due date of the oldest unpaid
item) count: a reminder about debt paid long ago does not open the way to a warning today.
"""

from __future__ import annotations

import datetime as dt

from service.agreements.restructuring import IN_FORCE, assess
from service.kernel.calendar import ONE_DAY
from service.kernel.text import Message
from service.kernel.words import format_date
from service.rules.history import CaseHistory, DocumentKind, IssuedDocument
from service.rules.model import CheckContext, CheckFn, CheckResult, Params, RuleKind


def _ok(ru: str, kk: str, en: str) -> CheckResult:
    return CheckResult(True, Message(ru, kk, en))


def _fail(ru: str, kk: str, en: str, passes_on: dt.date | None = None) -> CheckResult:
    return CheckResult(False, Message(ru, kk, en), passes_on)


def current_documents(history: CaseHistory, kind: str) -> tuple[IssuedDocument, ...]:
    """Documents of ``kind`` issued during the current arrears episode."""
    started = history.arrears_started
    if started is None:
        return ()
    return tuple(d for d in history.documents_of(kind) if d.issue_date >= started)


def overdue_required(ctx: CheckContext, params: Params) -> CheckResult:
    unpaid = [line for line in ctx.history.debt.lines if line.outstanding > 0]
    overdue = [line for line in unpaid if line.due_date < ctx.on_date]
    if overdue:
        first = min(line.due_date for line in overdue)
        return _ok(
            f"просрочено с {format_date(first + ONE_DAY)}",
            f"{format_date(first + ONE_DAY)} бастап мерзімі өткен",
            f"overdue since {first + ONE_DAY}",
        )
    passes_on = min(line.due_date for line in unpaid) + ONE_DAY if unpaid else None
    return _fail(
        "просроченной задолженности нет: взносы уплачиваются до 25 числа следующего месяца "
        "включительно",
        "мерзімі өткен берешек жоқ: жарналар келесі айдың 25-күнін қоса алғанға дейін төленеді",
        "nothing is overdue: contributions are due up to and including the 25th of the "
        "following month",
        passes_on,
    )


def pretrial_two_month_gate(ctx: CheckContext, params: Params) -> CheckResult:
    openings = [line.gate_opens for line in ctx.history.debt.lines if line.outstanding > 0]
    if not openings:
        return _fail(
            "неоплаченной задолженности нет",
            "төленбеген берешек жоқ",
            "nothing is unpaid",
        )
    earliest = min(openings)
    if earliest <= ctx.on_date:
        return _ok(
            f"два месяца после срока уплаты истекли; обращение возможно с {format_date(earliest)}",
            f"төлем мерзімінен кейін екі ай өтті; {format_date(earliest)} бастап жүгінуге болады",
            f"two months after the due date have passed; possible since {earliest}",
        )
    return _fail(
        f"два месяца после срока уплаты ещё не истекли: обращение к нотариусу или в суд "
        f"возможно с {format_date(earliest)}",
        f"төлем мерзімінен кейін екі ай әлі өткен жоқ: нотариусқа немесе сотқа "
        f"{format_date(earliest)} бастап жүгінуге болады",
        f"two months after the due date have not passed: a notary or court is possible "
        f"from {earliest}",
        earliest,
    )


def warning_after_reminder_delivery(ctx: CheckContext, params: Params) -> CheckResult:
    days = params.int("working_days")
    reminders = current_documents(ctx.history, DocumentKind.REMINDER)
    delivered = [
        d for d in (r.delivered_on(params.bool("count_returned_refused")) for r in reminders) if d
    ]
    if not delivered:
        state = "не вручено" if reminders else "не направлялось"
        state_kk = "тапсырылмаған" if reminders else "жіберілмеген"
        return _fail(
            f"предупреждение — только после вручения напоминания; напоминание {state}",
            f"ескерту — тек еске салу тапсырылғаннан кейін; еске салу {state_kk}",
            "a warning needs a reminder with a recorded delivery; "
            + ("none is delivered" if reminders else "none was issued"),
        )
    delivery = min(delivered)
    opens = ctx.calendar.add_working_days(delivery, days)
    handed, from_day = format_date(delivery), format_date(opens)
    if opens <= ctx.on_date:
        return _ok(
            f"напоминание вручено {handed}; {days} рабочих дней истекли {from_day}",
            f"еске салу {handed} тапсырылды; {days} жұмыс күні {from_day} өтті",
            f"reminder delivered {delivery}; {days} working days reached on {opens}",
        )
    return _fail(
        f"напоминание вручено {handed}; предупреждение — не ранее {from_day} "
        f"({days} рабочих дней со дня вручения)",
        f"еске салу {handed} тапсырылды; ескерту — {from_day} күнінен ерте емес "
        f"(тапсырылған күннен бастап {days} жұмыс күні)",
        f"reminder delivered {delivery}; a warning from {opens} ({days} working days after "
        "delivery)",
        opens,
    )


def pretrial_after_warning_deadline(ctx: CheckContext, params: Params) -> CheckResult:
    count = params.bool("count_returned_refused")
    warnings = current_documents(ctx.history, DocumentKind.WARNING)
    ends = []
    for warning in warnings:
        delivered = warning.delivered_on(count)
        if delivered is None:
            continue
        # The deadline cannot end before the debtor had the letter.
        deadline = max(warning.payment_deadline or delivered, delivered)
        ends.append(deadline + ONE_DAY)
    if not ends:
        return _fail(
            "досудебное уведомление — только после вручённого официального предупреждения",
            "сотқа дейінгі хабарлама — тек ресми ескерту тапсырылғаннан кейін",
            "a pre-court letter needs a delivered official warning",
        )
    opens = min(ends)
    if opens <= ctx.on_date:
        return _ok(
            f"срок оплаты по предупреждению истёк; возможно с {format_date(opens)}",
            f"ескерту бойынша төлем мерзімі өтті; {format_date(opens)} бастап мүмкін",
            f"the warning's payment deadline has passed; possible since {opens}",
        )
    return _fail(
        f"срок оплаты по предупреждению ещё не истёк: не ранее {format_date(opens)}",
        f"ескерту бойынша төлем мерзімі әлі өткен жоқ: {format_date(opens)} күнінен ерте емес",
        f"the warning's payment deadline has not passed: from {opens}",
        opens,
    )


def _agreement_in_force(ctx: CheckContext) -> str:
    for agreement in ctx.history.agreements:
        status = assess(agreement, ctx.on_date, ctx.calendar)
        if status.state in IN_FORCE:
            return f"{agreement.id} ({status.state.value})"
    return ""


def pretrial_not_during_agreement(ctx: CheckContext, params: Params) -> CheckResult:
    in_force = _agreement_in_force(ctx)
    if not in_force:
        return _ok(
            "действующего соглашения о рассрочке нет (или оно нарушено)",
            "қолданыстағы бөліп төлеу келісімі жоқ (немесе ол бұзылған)",
            "no restructuring agreement in force (or it is in default)",
        )
    return _fail(
        f"соглашение о рассрочке исполняется: {in_force}; досудебное уведомление — после его "
        "нарушения",
        f"бөліп төлеу келісімі орындалуда: {in_force}; сотқа дейінгі хабарлама — ол бұзылғаннан "
        "кейін",
        f"a restructuring agreement is being performed: {in_force}; a pre-court letter only "
        "after it defaults",
    )


def restructuring_not_during_agreement(ctx: CheckContext, params: Params) -> CheckResult:
    in_force = _agreement_in_force(ctx)
    if not in_force:
        return _ok("действующего соглашения нет", "қолданыстағы келісім жоқ", "none in force")
    return _fail(
        f"уже действует соглашение о рассрочке: {in_force}",
        f"бөліп төлеу келісімі қазірдің өзінде қолданыста: {in_force}",
        f"a restructuring agreement is already in force: {in_force}",
    )


CHECKS: dict[str, tuple[RuleKind, CheckFn]] = {
    "overdue-required": (RuleKind.LAW, overdue_required),
    "pretrial-two-month-gate": (RuleKind.LAW, pretrial_two_month_gate),
    "warning-after-reminder-delivery": (RuleKind.POLICY, warning_after_reminder_delivery),
    "pretrial-after-warning-deadline": (RuleKind.POLICY, pretrial_after_warning_deadline),
    "pretrial-not-during-agreement": (RuleKind.POLICY, pretrial_not_during_agreement),
    "restructuring-not-during-agreement": (RuleKind.POLICY, restructuring_not_during_agreement),
}
"""Rule id → (the kind the code was written for, the check). The data must agree on the kind."""
