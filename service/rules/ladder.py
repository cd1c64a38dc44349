"""The default notice ladder: one pure check per rule id (research "What the service must encode").

[LAW]     overdue-required                 a debt notice needs an overdue item (housing 34-1 p. 8)
[LAW]     pretrial-two-month-gate          an unpaid item past due date + 2 months (34-1 p. 10,
                                           ГК 174 p. 3, ГК 175); passes_on = earliest gate opening
[POLICY]  warning-after-reminder-delivery  a delivered reminder + N working days, from delivery,
                                           and its deadline counted from delivery has passed
[POLICY]  pretrial-after-warning-deadline  a delivered warning whose deadline, counted from its
                                           delivery, has passed
[POLICY]  pretrial-not-during-agreement    no restructuring agreement in force (default unblocks)
[CONTRACT] restructuring-not-during-agreement  one agreement in force at a time
[CONTRACT] notice-not-during-agreement     no reminder or warning for the debt an agreement in
                                           force covers; newer arrears outside it may be claimed

What a document *is* — its language and, for a pre-court letter, its route — is checked with the
request's fields by the document kind (``service.documents.kinds``: a restructuring agreement is
always bilingual, language law art. 15; a pre-court letter names the notary or the court route,
housing law art. 34-1 p. 10). Rules here look at the case's history and dates only.

Waiting periods count from the recorded delivery — the legal outcome of the document's delivery
attempts (``service.deliveries.outcome``) — never from sending; an undelivered document does not
count, and the refusal names why (a permanent failure, a returned letter, no receipt yet) and what
would unblock it (``passes_on`` none); a returned or refused registered letter counts only if the
creditor's ``delivery-outcome`` policy says so (``service.rules.undelivered``). A
letter's payment deadline runs from its delivery too (legal review #13; research A.5): the letter
gives ``deadline − issue date`` days, so measured from delivery it ends on ``delivered_on`` + that
many days (moved to the next working day, ГК 175), and the next step waits until it has passed.
Only documents issued during the current arrears (on or after the due date of the oldest unpaid
item) count: a reminder about debt paid long ago does not open the way to a warning today. While
an agreement is in force, the current arrears are those outside it.
"""

from __future__ import annotations

import datetime as dt

from service.kernel.calendar import ONE_DAY, WorkCalendar
from service.kernel.text import Message
from service.kernel.words import format_date
from service.rules import coverage
from service.rules.history import CaseHistory, DocumentKind, IssuedDocument
from service.rules.model import CheckContext, CheckFn, CheckResult, Params, RuleKind
from service.rules.undelivered import counted_note, delivery_policy, state_of, unblock


def _ok(ru: str, kk: str, en: str) -> CheckResult:
    return CheckResult(True, Message(ru, kk, en))


def _fail(ru: str, kk: str, en: str, passes_on: dt.date | None = None) -> CheckResult:
    return CheckResult(False, Message(ru, kk, en), passes_on)


def current_documents(
    history: CaseHistory,
    kind: str,
    on_date: dt.date,
    calendar: WorkCalendar,
    *,
    outside_agreement: bool = True,
) -> tuple[IssuedDocument, ...]:
    """Documents of ``kind`` issued during the current arrears episode: since the oldest unpaid
    item, or, while an agreement is in force and ``outside_agreement``, the oldest unpaid item
    outside it (a reminder about the restructured debt does not open the way to a warning about
    newer arrears, legal review #2)."""
    ref = coverage.in_force(history, on_date, calendar) if outside_agreement else None
    unpaid = [line for line in coverage.outside(history.debt.lines, ref) if line.outstanding > 0]
    if not unpaid:
        return ()
    started = min(line.due_date for line in unpaid)
    return tuple(d for d in history.documents_of(kind) if d.issue_date >= started)


def deadline_from_delivery(
    document: IssuedDocument, delivered: dt.date, calendar: WorkCalendar
) -> dt.date | None:
    """The letter's payment deadline counted from its delivery (legal review #13): as many days
    after ``delivered`` as the letter gave after its issue date, on a working day (ГК 175)."""
    if document.payment_deadline is None:
        return None
    return calendar.term_from_receipt(document.issue_date, document.payment_deadline, delivered)


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
    reminders = current_documents(ctx.history, DocumentKind.REMINDER, ctx.on_date, ctx.calendar)
    policy = delivery_policy(ctx)
    delivered = [(r, d) for r, d in ((r, r.delivered_on(policy)) for r in reminders) if d]
    if not delivered:
        if not reminders:
            return _fail(
                "предупреждение — только после вручения напоминания; напоминание не направлялось",
                "ескерту — тек еске салу тапсырылғаннан кейін; еске салу жіберілмеген",
                "a warning needs a reminder with a recorded delivery; none was issued",
            )
        latest = max(reminders, key=lambda r: (r.issue_date, r.number))
        reason = latest.undelivered_reason(policy)
        state = state_of(reason)
        return CheckResult(
            False,
            Message(
                f"предупреждение — только после вручения напоминания; напоминание № "
                f"{latest.number} не вручено: {state.ru}",
                f"ескерту — тек еске салу тапсырылғаннан кейін; № {latest.number} еске салу "
                f"тапсырылмаған: {state.kk}",
                f"a warning needs a reminder with a recorded delivery; none is delivered: "
                f"reminder No. {latest.number}: {state.en}",
            ),
            None,
            unblock(reason),
        )

    def opening(reminder: IssuedDocument, delivery: dt.date) -> tuple[dt.date, dt.date | None]:
        waited = ctx.calendar.add_working_days(delivery, days)
        deadline = deadline_from_delivery(reminder, delivery, ctx.calendar)
        return (waited if deadline is None else max(waited, deadline + ONE_DAY)), deadline

    candidates = [(*opening(r, d), d, r) for r, d in delivered]
    opens, deadline, delivery, chosen = min(candidates, key=lambda c: c[0])
    handed, from_day = format_date(delivery), format_date(opens)
    note = counted_note(chosen, delivery, policy)
    paid_by = (
        (
            f"; срок оплаты по нему, считая со дня вручения, — до {format_date(deadline)}",
            f"; оның төлем мерзімі тапсырылған күннен бастап — {format_date(deadline)} дейін",
            f"; its payment deadline counted from delivery is {deadline}",
        )
        if deadline is not None
        else ("", "", "")
    )
    if opens <= ctx.on_date:
        return _ok(
            f"напоминание вручено {handed}{note.ru}{paid_by[0]}; предупреждение возможно с "
            f"{from_day}",
            f"еске салу {handed} тапсырылды{note.kk}{paid_by[1]}; ескерту {from_day} бастап мүмкін",
            f"reminder delivered {delivery}{note.en}{paid_by[2]}; a warning is possible since "
            f"{opens}",
        )
    return _fail(
        f"напоминание вручено {handed}{note.ru}{paid_by[0]}; предупреждение — не ранее {from_day} "
        f"({days} рабочих дней со дня вручения и после срока оплаты)",
        f"еске салу {handed} тапсырылды{note.kk}{paid_by[1]}; ескерту — {from_day} күнінен ерте "
        "емес "
        f"(тапсырылған күннен бастап {days} жұмыс күні және төлем мерзімі өткеннен кейін)",
        f"reminder delivered {delivery}{note.en}{paid_by[2]}; a warning from {opens} ({days} "
        "working "
        "days after delivery, and after its payment deadline)",
        opens,
    )


def pretrial_after_warning_deadline(ctx: CheckContext, params: Params) -> CheckResult:
    policy = delivery_policy(ctx)
    warnings = current_documents(
        # the agreement blocks the letter itself (pretrial-not-during-agreement); after its
        # default the warning about the whole debt counts again
        ctx.history,
        DocumentKind.WARNING,
        ctx.on_date,
        ctx.calendar,
        outside_agreement=False,
    )
    ends = []
    for warning in warnings:
        delivered = warning.delivered_on(policy)
        if delivered is None:
            continue
        # The deadline runs from delivery (#13): the debtor has every day the letter gave.
        deadline = deadline_from_delivery(warning, delivered, ctx.calendar) or delivered
        ends.append((deadline + ONE_DAY, deadline, delivered, warning))
    if not ends:
        base = Message(
            "досудебное уведомление — только после вручённого официального предупреждения",
            "сотқа дейінгі хабарлама — тек ресми ескерту тапсырылғаннан кейін",
            "a pre-court letter needs a delivered official warning",
        )
        if not warnings:
            return CheckResult(False, base)
        latest = max(warnings, key=lambda w: (w.issue_date, w.number))
        reason = latest.undelivered_reason(policy)
        state = state_of(reason)
        return CheckResult(
            False,
            base
            + Message(
                f"; предупреждение № {latest.number} не вручено: {state.ru}",
                f"; № {latest.number} ескерту тапсырылмаған: {state.kk}",
                f"; warning No. {latest.number} is not delivered: {state.en}",
            ),
            None,
            unblock(reason),
        )
    opens, deadline, delivered, chosen = min(ends, key=lambda e: (e[0], e[1], e[2]))
    handed, until = format_date(delivered), format_date(deadline)
    note = counted_note(chosen, delivered, policy)
    if opens <= ctx.on_date:
        return _ok(
            f"предупреждение вручено {handed}{note.ru}; срок оплаты, считая со дня вручения, истёк "
            f"{until}; возможно с {format_date(opens)}",
            f"ескерту {handed} тапсырылды{note.kk}; тапсырылған күннен бастап есептелген төлем "
            f"мерзімі {until} өтті; {format_date(opens)} бастап мүмкін",
            f"warning delivered {delivered}{note.en}; its payment deadline counted from delivery "
            "ended "
            f"{deadline}; possible since {opens}",
        )
    return _fail(
        f"предупреждение вручено {handed}{note.ru}; срок оплаты, считая со дня вручения, — до "
        f"{until}: "
        f"досудебное уведомление не ранее {format_date(opens)}",
        f"ескерту {handed} тапсырылды{note.kk}; тапсырылған күннен бастап есептелген төлем "
        "мерзімі — "
        f"{until} дейін: сотқа дейінгі хабарлама {format_date(opens)} күнінен ерте емес",
        f"warning delivered {delivered}{note.en}; its payment deadline counted from delivery is "
        f"{deadline}: a pre-court letter from {opens}",
        opens,
    )


def _agreement_in_force(ctx: CheckContext) -> str:
    ref = coverage.in_force(ctx.history, ctx.on_date, ctx.calendar)
    if ref is None:
        return ""
    return f"№ {ref.number} от {format_date(ref.date)} ({ref.status.state.value})"


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


def notice_not_during_agreement(ctx: CheckContext, params: Params) -> CheckResult:
    """Legal review #2: an agreement in force protects its debt. A reminder or a warning may
    claim only overdue items outside it (newer arrears); with none, it is refused until the
    agreement is completed or defaults (``passes_on`` none: a payment or a default must come)."""
    ref = coverage.in_force(ctx.history, ctx.on_date, ctx.calendar)
    if ref is None:
        return _ok(
            "действующего соглашения о рассрочке нет",
            "қолданыстағы бөліп төлеу келісімі жоқ",
            "no restructuring agreement in force",
        )
    number, day = ref.number, format_date(ref.date)
    newer = [
        line
        for line in coverage.outside(ctx.history.debt.lines, ref)
        if line.outstanding > 0 and line.due_date < ctx.on_date
    ]
    if newer:
        since = format_date(min(line.due_date for line in newer) + ONE_DAY)
        return _ok(
            f"соглашение о рассрочке № {number} от {day} исполняется; документ называет его и "
            f"указывает только задолженность вне соглашения (просрочена с {since})",
            f"{day} № {number} бөліп төлеу келісімі орындалуда; құжат оны атайды және тек "
            f"келісімнен тыс берешекті көрсетеді ({since} бастап мерзімі өткен)",
            f"restructuring agreement No. {number} of {ref.date} is being performed; the "
            f"document names it and states only the arrears outside it (overdue since {since})",
        )
    return _fail(
        f"соглашение о рассрочке № {number} от {day} исполняется: задолженность по нему "
        "погашается по графику соглашения, напоминание или предупреждение о ней не "
        "направляется; иной просроченной задолженности нет",
        f"{day} № {number} бөліп төлеу келісімі орындалуда: ол бойынша берешек келісім "
        "кестесі бойынша өтеледі, ол туралы еске салу немесе ескерту жіберілмейді; мерзімі "
        "өткен басқа берешек жоқ",
        f"restructuring agreement No. {number} of {ref.date} is being performed: its debt is "
        "paid by the agreement's schedule, and no reminder or warning is sent about it; nothing "
        "else is overdue",
    )


CHECKS: dict[str, tuple[RuleKind, CheckFn]] = {
    "overdue-required": (RuleKind.LAW, overdue_required),
    "pretrial-two-month-gate": (RuleKind.LAW, pretrial_two_month_gate),
    "warning-after-reminder-delivery": (RuleKind.POLICY, warning_after_reminder_delivery),
    "pretrial-after-warning-deadline": (RuleKind.POLICY, pretrial_after_warning_deadline),
    "pretrial-not-during-agreement": (RuleKind.POLICY, pretrial_not_during_agreement),
    "restructuring-not-during-agreement": (RuleKind.CONTRACT, restructuring_not_during_agreement),
    "notice-not-during-agreement": (RuleKind.CONTRACT, notice_not_during_agreement),
}
"""Rule id → (the kind the code was written for, the check). The data must agree on the kind."""
