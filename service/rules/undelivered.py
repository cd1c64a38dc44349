"""Why a notice does not count as delivered, and what would make it count: the words a blocked
rule uses. Pure.

The legal outcome comes from ``service.deliveries.outcome``; which refused or returned letters
count is the creditor's ``delivery-outcome`` policy (default: as the notary law treats its own
copies, art. 92-6 — research 2.9, A.5). An e-mail only sent is not received (e-document law
art. 7 p. 2–4, research 7.4).
"""

from __future__ import annotations

import datetime as dt

from service.deliveries.outcome import DeliveryPolicy, Reason
from service.kernel.text import Message
from service.rules.history import DeliveryStatus, IssuedDocument
from service.rules.model import CheckContext

DELIVERY_SETTING = "delivery-outcome"

_STATE = {
    Reason.NO_EVENT: Message(
        "вручение не зафиксировано",
        "тапсыру тіркелмеген",
        "no delivery is recorded",
    ),
    Reason.IN_TRANSIT: Message(
        "в пути, вручение ещё не зафиксировано",
        "жолда, тапсыру әлі тіркелмеген",
        "it is on its way: no delivery is recorded yet",
    ),
    Reason.NO_RECEIPT: Message(
        "электронное сообщение отправлено, но уведомления о получении нет — без него "
        "электронный документ считается не полученным",
        "электрондық хабар жіберілді, бірақ алу туралы хабарлама жоқ — онсыз электрондық "
        "құжат алынбаған болып саналады",
        "the electronic message was sent but no receipt notice came back; without one an "
        "electronic document counts as not received (no receipt yet)",
    ),
    Reason.TEMPORARY_FAILURE: Message(
        "доставка временно не удалась",
        "жеткізу уақытша сәтсіз аяқталды",
        "delivery failed temporarily",
    ),
    Reason.PERMANENT_FAILURE: Message(
        "доставка окончательно не удалась",
        "жеткізу біржола сәтсіз аяқталды",
        "delivery failed permanently",
    ),
    Reason.RETURNED: Message(
        "письмо вернулось невручённым, а по политике взыскателя возврат не считается вручением",
        "хат тапсырылмай қайтарылды, ал өндіріп алушының саясаты бойынша қайтару тапсыру "
        "болып саналмайды",
        "the letter came back undelivered, and the creditor's policy does not count a "
        "returned letter as delivered",
    ),
    Reason.REFUSED: Message(
        "адресат отказался от получения, а по политике взыскателя отказ не считается вручением",
        "адресат алудан бас тартты, ал өндіріп алушының саясаты бойынша бас тарту тапсыру "
        "болып саналмайды",
        "the addressee refused it, and the creditor's policy does not count a refusal as delivered",
    ),
}

_ANOTHER = Message(
    "вручите его другим способом (например, лично под подпись) и зафиксируйте вручение",
    "оны басқа тәсілмен тапсырыңыз (мысалы, қолхат алып, қолма-қол) және тапсыруды тіркеңіз",
    "record a delivery by another channel (e.g. by hand against signature)",
)
_UNBLOCK = {
    Reason.NO_EVENT: Message(
        "зафиксируйте его вручение",
        "оның тапсырылуын тіркеңіз",
        "record its delivery",
    ),
    Reason.IN_TRANSIT: Message(
        "зафиксируйте вручение, когда вернётся уведомление",
        "хабарлама қайтқанда тапсыруды тіркеңіз",
        "record the delivery when its notice comes back",
    ),
    Reason.NO_RECEIPT: Message(
        "дождитесь уведомления о получении или вручите другим способом",
        "алу туралы хабарламаны күтіңіз немесе басқа тәсілмен тапсырыңыз",
        "wait for the receipt notice, or record a delivery by another channel",
    ),
    Reason.TEMPORARY_FAILURE: Message(
        "дождитесь отчёта о доставке или вручите другим способом",
        "жеткізу туралы есепті күтіңіз немесе басқа тәсілмен тапсырыңыз",
        "wait for the delivery report, or record a delivery by another channel",
    ),
    Reason.PERMANENT_FAILURE: _ANOTHER,
    Reason.RETURNED: _ANOTHER
    + Message(
        " или измените политику delivery-outcome.count_returned_refused",
        " немесе delivery-outcome.count_returned_refused саясатын өзгертіңіз",
        ", or change the policy delivery-outcome.count_returned_refused",
    ),
    Reason.REFUSED: _ANOTHER
    + Message(
        " или измените политику delivery-outcome.count_returned_refused",
        " немесе delivery-outcome.count_returned_refused саясатын өзгертіңіз",
        ", or change the policy delivery-outcome.count_returned_refused",
    ),
}


def delivery_policy(ctx: CheckContext) -> DeliveryPolicy:
    """The creditor's ``delivery-outcome`` setting in force on the checked date."""
    params = ctx.settings.get(DELIVERY_SETTING)
    if params is None:
        return DeliveryPolicy()
    return DeliveryPolicy(count_returned_refused=params.bool("count_returned_refused"))


def state_of(reason: Reason) -> Message:
    return _STATE.get(reason, _STATE[Reason.NO_EVENT])


def unblock(reason: Reason) -> Message:
    return _UNBLOCK.get(reason, _UNBLOCK[Reason.NO_EVENT])


_COUNTED = {
    DeliveryStatus.RETURNED: Message(
        " (письмо вернулось невручённым; по политике взыскателя это считается вручением)",
        " (хат тапсырылмай қайтарылды; өндіріп алушының саясаты бойынша бұл тапсыру болып "
        "саналады)",
        " (the letter came back undelivered; the creditor's policy counts that as delivered)",
    ),
    DeliveryStatus.REFUSED: Message(
        " (адресат отказался от получения; по политике взыскателя это считается вручением)",
        " (адресат алудан бас тартты; өндіріп алушының саясаты бойынша бұл тапсыру болып саналады)",
        " (the addressee refused it; the creditor's policy counts that as delivered)",
    ),
}
_NOTHING = Message("", "", "")


def counted_note(document: IssuedDocument, day: dt.date, policy: DeliveryPolicy) -> Message:
    """Said after the delivery date when what counts on ``day`` is a refused or returned
    letter, not a receipt (policy ``delivery-outcome``)."""
    on_day = [d for d in document.deliveries if d.delivered_at == day and d.counts(policy)]
    if not on_day or any(d.status is DeliveryStatus.DELIVERED for d in on_day):
        return _NOTHING
    return _COUNTED.get(on_day[0].status, _NOTHING)
