"""Is the case ready for its route? What the pack's readiness page lists, item by item.

Built on the claim the claim endpoint and the pre-court letter compute (``claims.claim``): the
same claimable items, the same three-year exclusion, the same penalty rule, the same venues.
Law cited only from the verified research (shared legal research §2, §3, B.6–B.9):

- notary: the debt is an undisputed contribution debt (notary law art. 92-1 p. 2 sub-para 6)
  past the two-month gate (housing law art. 34-1 p. 10) on a meeting protocol (art. 42 p. 5);
  no more than three years since the right arose (art. 92-2 p. 1–2); penalty only with the
  debtor's written acknowledgment (art. 92-1 p. 3); venue (art. 92-2 p. 3); the endorsement names
  the debtor's ИИН if known (art. 92-3);
- court: venue at the defendant's residence (ГПК art. 29); a pre-trial step only if a law or the
  contract requires one (ГПК art. 148 p. 2 sub-para 6; none found for ОСИ debts); items older
  than three years flagged for a lawyer (ГК 178, 179).

Attaching the delivered warning and pre-court letter is policy (research B.9), never worded as
law: those checks cite no provision.
"""

from __future__ import annotations

from collections.abc import Sequence

from service.claims.claim import Claim
from service.evidence.pack import Check, DocumentEntry, Readiness
from service.kernel.money import ZERO
from service.kernel.route import Route
from service.kernel.text import Message
from service.kernel.words import format_amount, format_date

OK, MISSING, REVIEW = Readiness.OK, Readiness.MISSING, Readiness.REVIEW
DELIVERED = frozenset({"delivered"})


def readiness(
    route: Route,
    claim: Claim,
    documents: Sequence[DocumentEntry],
    *,
    without_basis: Sequence[str],
    debtor_iin: str | None,
) -> tuple[Check, ...]:
    """Every check for ``route``, in the order a notary or a court reads the file."""
    checks = [_claimable(claim, route), _basis(without_basis)]
    if route is Route.NOTARY:
        checks += [
            _three_years_notary(claim),
            _penalty_notary(claim),
            _venue(claim, "notary-92-2-p3"),
            _identifier(debtor_iin, ("notary-92-3",)),
        ]
    else:
        checks += [
            _venue(claim, "gpk-29"),
            _three_years_court(claim),
            _identifier(debtor_iin, ()),
        ]
    checks += [_delivered(documents, "warning", None), _delivered(documents, "pretrial", route)]
    return tuple(checks)


def _claimable(claim: Claim, route: Route) -> Check:
    provisions = ("housing-34-1-p10", *(("notary-92-1-p2-6",) if route is Route.NOTARY else ()))
    if claim.items:
        amount = format_amount(claim.principal)
        return Check(
            "claimable_debt",
            OK,
            provisions,
            Message(
                ru=f"Задолженность по взносам старше двух месяцев: {amount} тенге основного долга.",
                kk=f"Мерзімі екі айдан асқан жарналар бойынша берешек: негізгі борыш {amount} "
                "теңге.",
                en=f"Contributions past the two-month gate: principal {amount} tenge.",
            ),
        )
    return Check(
        "claimable_debt",
        MISSING,
        provisions,
        Message(
            ru="Нет задолженности, по которой истекли два месяца после срока уплаты: взыскивать "
            "пока нечего.",
            kk="Төлем мерзімінен кейін екі ай өткен берешек жоқ: әзірге өндіріп алатын ештеңе жоқ.",
            en="No unpaid item is past the two-month gate: nothing may be claimed yet.",
        ),
    )


def _basis(without_basis: Sequence[str]) -> Check:
    if not without_basis:
        return Check(
            "contribution_basis",
            OK,
            ("housing-42-p5",),
            Message(
                ru="По каждому виду взносов указан протокол собрания, утвердивший его.",
                kk="Жарналардың әр түрі бойынша оны бекіткен жиналыс хаттамасы көрсетілген.",
                en="Each contribution charged names the meeting protocol that approved it.",
            ),
        )
    kinds = ", ".join(without_basis)
    return Check(
        "contribution_basis",
        MISSING,
        ("housing-42-p5",),
        Message(
            ru=f"Нет протокола собрания для взносов: {kinds}.",
            kk=f"Мына жарналар үшін жиналыс хаттамасы жоқ: {kinds}.",
            en=f"No meeting protocol for the contributions: {kinds}.",
        ),
    )


def _three_years_notary(claim: Claim) -> Check:
    provisions = ("notary-92-2-p1-2", "gk-180-p2")
    if not claim.excluded:
        return Check(
            "three_years",
            OK,
            provisions,
            Message(
                ru="Ни по одной сумме право требования не возникло более трёх лет назад.",
                kk="Ешбір сома бойынша талап ету құқығы үш жылдан астам бұрын туындаған жоқ.",
                en="No item's right to claim arose more than three years ago.",
            ),
        )
    amount = format_amount(sum((x.item.amount for x in claim.excluded), ZERO))
    return Check(
        "three_years",
        REVIEW,
        (*provisions, "housing-34-1-p9"),
        Message(
            ru=f"{len(claim.excluded)} сумм(ы) на {amount} тенге старше трёх лет исключены из "
            "исполнительной надписи; их можно заявить только в суде — решает юрист.",
            kk=f"Жалпы сомасы {amount} теңге болатын {len(claim.excluded)} сома үш жылдан "
            "асқандықтан атқарушылық жазбадан алынып тасталды; оларды тек сотта талап етуге "
            "болады — заңгер шешеді.",
            en=f"{len(claim.excluded)} item(s), {amount} tenge, older than three years are left "
            "out of the endorsement; only a court may hear them: a lawyer decides.",
        ),
    )


def _three_years_court(claim: Claim) -> Check:
    provisions = ("gk-178", "gk-179-p1-2", "housing-34-1-p9")
    if not claim.flagged:
        return Check(
            "three_years",
            OK,
            provisions,
            Message(
                ru="Сумм старше трёх лет нет.",
                kk="Үш жылдан асқан сомалар жоқ.",
                en="No item is older than three years.",
            ),
        )
    return Check(
        "three_years",
        REVIEW,
        provisions,
        Message(
            ru=f"{len(claim.flagged)} сумм(ы) старше трёх лет. С сентября 2025 г. исковая "
            "давность к требованиям о взносах не применяется (ч. 2 п. 9 ст. 34-1 Закона РК «О "
            "жилищных отношениях»); распространяется ли это на суммы, давность по которым "
            "истекла раньше, не ясно, а суд применяет давность только по заявлению стороны "
            "(ст. 179 Гражданского кодекса РК) — решает юрист.",
            kk=f"{len(claim.flagged)} сома үш жылдан асқан. 2025 жылғы қыркүйектен бастап "
            "жарналар бойынша талаптарға талап қоюдың ескіру мерзімі қолданылмайды («Тұрғын үй "
            "қатынастары туралы» ҚР Заңының 34-1-бабы 9-тармағының 2-бөлігі); бұл ескіру мерзімі "
            "бұрын өтіп кеткен сомаларға қолданыла ма — белгісіз, ал сот ескіруді тек тараптың "
            "өтініші бойынша қолданады (ҚР Азаматтық кодексінің 179-бабы) — заңгер шешеді.",
            en=f"{len(claim.flagged)} item(s) older than three years. Since September 2025 "
            "limitation does not apply to contribution claims (housing law art. 34-1 p. 9 "
            "part 2); whether that reaches items already time-barred before is unclear, and a "
            "court applies limitation only if a party asks (ГК 179): a lawyer decides.",
        ),
    )


def _penalty_notary(claim: Claim) -> Check:
    penalty = claim.penalty
    ack = penalty.acknowledgment
    if ack is not None:
        status = OK if ack.notarised else REVIEW
        note_ru = "" if ack.notarised else " Признание не удостоверено нотариусом — проверьте."
        note_kk = "" if ack.notarised else " Мойындау нотариатта куәландырылмаған — тексеріңіз."
        return Check(
            "penalty_acknowledgment",
            status,
            ("notary-92-1-p3",),
            Message(
                ru=f"Долг признан письменно {format_date(ack.date)}: пеня "
                f"{format_amount(penalty.included)} тенге включается.{note_ru}",
                kk=f"Борыш {format_date(ack.date)} жазбаша мойындалды: "
                f"{format_amount(penalty.included)} теңге өсімпұл енгізіледі.{note_kk}",
                en=f"Acknowledged in writing on {ack.date}: penalty {penalty.included} included."
                + ("" if ack.notarised else " The acknowledgment is not notarised: check."),
            ),
        )
    if penalty.left_out <= ZERO:
        return Check(
            "penalty_acknowledgment",
            OK,
            ("notary-92-1-p3",),
            Message(
                ru="Пени нет: письменное признание долга для надписи не нужно.",
                kk="Өсімпұл жоқ: жазба үшін борышты жазбаша мойындау қажет емес.",
                en="No penalty is owed: no written acknowledgment is needed.",
            ),
        )
    amount = format_amount(penalty.left_out)
    return Check(
        "penalty_acknowledgment",
        MISSING,
        ("notary-92-1-p3",),
        Message(
            ru=f"Нет письменного признания долга: пеня {amount} тенге в надпись не включается "
            "(её можно взыскать в суде).",
            kk=f"Борышты жазбаша мойындау жоқ: {amount} теңге өсімпұл жазбаға енгізілмейді "
            "(оны сот арқылы өндіріп алуға болады).",
            en=f"No written acknowledgment of the debt: penalty {amount} tenge stays out of the "
            "endorsement (a court may award it).",
        ),
    )


def _venue(claim: Claim, provision: str) -> Check:
    if claim.venues:
        places = "; ".join(v.address for v in claim.venues)
        return Check(
            "venue",
            OK,
            (provision,),
            Message(
                ru=f"Место обращения: {places}.",
                kk=f"Жүгіну орны: {places}.",
                en=f"Where to apply: {places}.",
            ),
        )
    return Check(
        "venue",
        MISSING,
        (provision,),
        Message(
            ru="Не известно место жительства должника: укажите почтовый адрес должника в деле.",
            kk="Борышкердің тұрғылықты жері белгісіз: істе борышкердің пошталық мекенжайын "
            "көрсетіңіз.",
            en="The debtor's residence is unknown: send the debtor's postal address with the case.",
        ),
    )


def _identifier(iin: str | None, provisions: tuple[str, ...]) -> Check:
    if iin:
        return Check(
            "debtor_iin",
            OK,
            provisions,
            Message(ru="ИИН должника указан.", kk="Борышкердің ЖСН көрсетілген.", en="ИИН given."),
        )
    return Check(
        "debtor_iin",
        MISSING,
        provisions,
        Message(
            ru="ИИН должника не указан в деле.",
            kk="Борышкердің ЖСН істе көрсетілмеген.",
            en="The debtor's ИИН is not in the case.",
        ),
    )


_NAMES = {
    "warning": Message(ru="Официальное предупреждение", kk="ресми ескерту", en="Warning"),
    "pretrial": Message(ru="Досудебная претензия", kk="сотқа дейінгі талап", en="Pre-court letter"),
}
_RU_ENDING = {"warning": "о", "pretrial": "а"}
"""Russian past participles agree with the noun: предупреждение вручено, претензия вручена."""


def _delivered(documents: Sequence[DocumentEntry], kind: str, route: Route | None) -> Check:
    """Policy (research B.9): the delivered warning and pre-court letter go with the file as
    evidence of good faith. For a court, a pre-trial step is required only where a law or the
    contract says so (ГПК art. 148 p. 2 sub-para 6): a missing letter is for review there."""
    name = _NAMES[kind]
    end = _RU_ENDING[kind]
    code = f"{kind}_delivered"
    provisions: tuple[str, ...] = ("gpk-148-p2-6",) if route is Route.COURT else ()
    absent = REVIEW if route is Route.COURT else MISSING
    wanted = [d for d in documents if d.kind == kind and (route is None or d.route == route)]
    delivered = [
        (d, v)
        for d in wanted
        for v in d.deliveries
        if v.status in DELIVERED and v.delivered_at is not None
    ]
    if delivered:
        document, delivery = delivered[-1]
        on = format_date(delivery.delivered_at) if delivery.delivered_at else ""
        proofs = sum(len(v.proofs) for v in document.deliveries)
        return Check(
            code,
            OK,
            provisions,
            Message(
                ru=f"{name.ru} № {document.number} вручен{end} {on}; файлов-доказательств: "
                f"{proofs}.",
                kk=f"№ {document.number} {name.kk} {on} тапсырылды; дәлел файлдары: {proofs}.",
                en=f"{name.en} {document.number} delivered on {on}; proof files: {proofs}.",
            ),
        )
    if wanted:
        number = wanted[-1].number
        return Check(
            code,
            absent,
            provisions,
            Message(
                ru=f"{name.ru} № {number} выпущен{end}, но вручение не зафиксировано.",
                kk=f"№ {number} {name.kk} шығарылды, бірақ тапсыру тіркелмеген.",
                en=f"{name.en} {number} was issued; no delivery is recorded.",
            ),
        )
    return Check(
        code,
        absent,
        provisions,
        Message(
            ru=f"{name.ru} по делу не выпускал{'ось' if end == 'о' else 'ась'}.",
            kk=f"Іс бойынша {name.kk} шығарылмаған.",
            en=f"No {name.en.lower()} was issued for the case.",
        ),
    )
