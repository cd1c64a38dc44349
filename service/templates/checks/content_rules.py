"""What a letter in an association's name must never say (pure; written to be read by a lawyer).

Each rule reads the template's own text sentence by sentence, in Russian and Kazakh, and names
the provision it relies on (``legal/provisions``) or the policy it protects
(``legal/rules/policies.yaml``). Sources: the shared research ``kz-research.md``, sections 3, 5 and
"What the service must encode" B.6 and its preamble.

1. ``utility-cutoff`` — **no threat to cut off utilities** (housing law art. 38, ``housing-38``:
   the ОСИ chairman or management subject may disconnect a unit only to contain an accident or
   emergency; non-payment of contributions is no ground; research 5.1). A sentence is a threat
   when it has a cut-off verb and a utility:
   - verbs that are a cut-off by themselves: «отключ-», «отсоедин-», «выключ-», «перекр(ыть/оем)»,
     «обесточ-», «отрез(ать)/отреж-», «обрез(ать)/обреж-», «(за)блокир-», «лиш(ить/им) …»;
     kk «ажырат-», «тоқтат-», «өшір-», «сөндір-», «шекте-»;
   - verbs that are a cut-off only of a supply: «приостанов-», «прекра(щ/т)-», «огранич-» with
     «подача», «поставка», «предоставление», «оказание», «-снабжение», «отпуск», «потребление»,
     «режим»;
   - utilities: water (вода, водоснабжение, водоотведение, канализация; kk су, сумен
     жабдықтау, кәріз), electricity (электроэнергия, электричество, свет; kk электр, жарық),
     heating (отопление, тепло-; kk жылу, жылыту), gas (газ; kk газ), «коммунальные услуги»
     (kk «коммуналдық қызметтер»), «инженерные системы» (kk «инженерлік жүйелер»), lift.
   A sentence that states the protection the law gives is not a threat: the verb negated
   («не вправе отключать», «не является основанием для отключения», «не может быть
   приостановлена», «запрещено отключать», «отключать … запрещено»; kk a negative verb
   «ажыратылмайды», «ажыратпаймыз» or «ажыратуға … болмайды / жоқ / емес / тыйым салынады»).
   The lawyer still reads it.
2. ``court-order`` — **no «судебный приказ»** (ГПК art. 135, ``gpk-135``: its list of claims has
   no contributions or utility debts since 84-VII of 20.12.2021; research 3.2, B.6). Any mention
   («судебный приказ», «приказное производство»; kk «сот бұйрығы», «бұйрықтық іс жүргізу»),
   whatever the sentence says about it.
3. ``policy-as-law`` — **a policy is never worded as law** (research, "What the service must
   encode": [POLICY] rules "must never be described to debtors as legal requirements"). A
   sentence that invokes the law («в соответствии с законом», «согласно закону», «по закону»,
   «в силу закона», «закон обязывает / требует / предусматривает», «установлено / предусмотрено
   законом (законодательством)»; kk «заңға сәйкес», «заң бойынша», «заңнамаға сәйкес», «заңмен
   белгіленген / көзделген», «заң талап етеді») **and** names a term that only a policy sets:
   - ``penalty-discount``: «скидка», «списание пени», «пеня будет списана / уменьшена»; kk
     «жеңілдік», «өсімпұл … есептен шығарылады»;
   - ``restructuring-terms``: «льготный срок / период»; kk «жеңілдікті мерзім»;
   - ``delivery-outcome``: «считается врученным / полученным»; kk «тапсырылған / алынған болып
     саналады»;
   - ``segmentation``: «сегмент»;
   - the penalty day count (``legal/penalty``): «365 (360) дней», «дней в году»; kk «жылына …
     күн».
   Citing a policy's id as if it were a provision (``cite-of(t, "penalty-discount")``) is the
   same fault; ``citations.py`` finds it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

UTILITY_CUTOFF = "utility-cutoff"
COURT_ORDER = "court-order"
POLICY_AS_LAW = "policy-as-law"


@dataclass(frozen=True)
class ContentRule:
    id: str
    provision: str | None
    """The provision the rule relies on (``legal/provisions``); ``None`` for policy-as-law."""
    what: str


RULES = {
    UTILITY_CUTOFF: ContentRule(
        UTILITY_CUTOFF,
        "housing-38",
        "threatens to cut off a utility: the association may disconnect only to contain an "
        "accident or emergency, never for unpaid contributions",
    ),
    COURT_ORDER: ContentRule(
        COURT_ORDER,
        "gpk-135",
        "mentions a court order (судебный приказ): the list of claims a court order is issued on "
        "has no contributions",
    ),
    POLICY_AS_LAW: ContentRule(
        POLICY_AS_LAW,
        None,
        "words a policy as law: it is the creditor's practice, not a legal requirement",
    ),
}


@dataclass(frozen=True)
class Finding:
    rule: ContentRule
    sentence: str
    policy: str | None = None
    """For ``policy-as-law``: the policy the sentence presents as law."""


_I = re.IGNORECASE | re.UNICODE
_WORD_END = r"(?![\w-])"

# --- 1. utilities -------------------------------------------------------------------------

_UTILITY = re.compile(
    r"(?<![\w-])("
    # water
    r"вод[аыуе]|водой|водоснабжени\w*|водоотведени\w*|водопровод\w*|канализаци\w*"
    r"|холодн\w*\s+вод\w*|горяч\w*\s+вод\w*"
    # electricity
    r"|электроэнерги\w*|электричеств\w*|электроснабжени\w*|электросет\w*|энергоснабжени\w*"
    r"|электрическ\w*\s+энерги\w*|свет|света|свету|светом|освещени\w*"
    # heating, gas
    r"|отоплени\w*|теплоснабжени\w*|тепл[аоу]|теплов\w*\s+энерги\w*|теплоносител\w*"
    r"|газ|газа|газу|газом|газе|газоснабжени\w*"
    r"|коммунальн\w*\s+(?:услуг|ресурс)\w*|инженерн\w*\s+(?:систем|сет|коммуникаци)\w*"
    r"|лифт\w*"
    # Kazakh
    r"|су|суы|суды|суға|судан|сумен|сусыз|судың|суын|сумен\s+жабдықта\w*|кәріз\w*"
    r"|электр(?!он)\w*|жарық\w*|жылу\w*|жылыт\w*|газды|газбен|газдың"
    r"|коммуналдық\s+қызмет\w*|инженерлік\s+жүйе\w*"
    r")" + _WORD_END,
    _I,
)
_CUTOFF_VERB = re.compile(
    r"(?<![\w-])("
    r"отключ\w*|отсоедин\w*|выключ\w*|перекр(?:ыть|ыт\w*|оем|оют|оет)|обесточ\w*"
    r"|отреж\w*|отрез(?:ать|аем|ан)\w*|обреж\w*|обрез(?:ать|аем|ан)\w*|(?:за)?блокир\w*"
    r"|лиш(?:ить|им|ат|ен|ил)\w*"
    r"|ажырат\w*|тоқтат\w*|өшір\w*|сөндір\w*|шекте\w*"
    r")",
    _I,
)
_SUPPLY_VERB = re.compile(r"(?<![\w-])(приостан[ао]в\w*|прекра[щт]\w*|огранич\w*)", _I)
_SUPPLY = re.compile(
    r"(?<![\w-])(подач\w*|постав(?:к|ок)\w*|предоставлени\w*|оказани\w*|\w*снабжени\w*|отпуск\w*"
    r"|потреблени\w*|режим\w*)",
    _I,
)
# «товарищество с ограниченной ответственностью» is a company form, not a restriction.
_COMPANY_FORM = re.compile(r"ограниченн\w*\s+ответственност\w*", _I)

# A verb negated: «не вправе отключать», «не является основанием для отключения».
_RU_NEGATION = re.compile(
    r"(?:\bне|\bнельзя|\bзапрещ\w*|\bнедопустим\w*|\bбез\s+права)"
    r"(?:\s+(?:может|могут|вправе|будет|будут|является|являются|служит|служат|допускается"
    r"|подлежит|подлежат|быть|основанием|для|имеет|имеют|права|право|на|их|его|ее|её|Вас|вас"
    r"|Вам|вам|помещение|квартиру))*\s+$",
    _I,
)
# kk: a negative verb form (-ма/-ме/-ба/-бе/-па/-пе + й/с/ған/ген), or a negation after it.
_KK_NEGATIVE_FORM = re.compile(r"(?:ма|ме|ба|бе|па|пе)(?:й|с\b|ған|ген)", _I)
# … or forbidden after it: «отключать … запрещено», «… не допускается».
_RU_FORBIDDEN_AFTER = re.compile(
    r"(?<![\w-])(?:запрещ\w*|недопустим\w*|не\s+допуска\w*|незаконн\w*)", _I
)
_KK_NEGATION_AFTER = re.compile(
    r"^\S*(?:\s+\S+){0,3}?\s+(?:болмайды|болмайтын|жоқ|емес|тыйым\s+салынады|берілмейді"
    r"|табылмайды|құқылы\s+емес)",
    _I,
)


def _negated(sentence: str, start: int, end: int) -> bool:
    if _RU_NEGATION.search(sentence[:start]) or _RU_FORBIDDEN_AFTER.search(sentence[end:]):
        return True
    word = sentence[start:end]
    if _KK_NEGATIVE_FORM.search(word[3:]):
        return True
    return bool(_KK_NEGATION_AFTER.match(sentence[start:]))


def threatens_cutoff(sentence: str) -> bool:
    """A cut-off verb and a utility in one sentence, the verb not negated."""
    if not _UTILITY.search(sentence):
        return False
    for match in _CUTOFF_VERB.finditer(sentence):
        if not _negated(sentence, match.start(), match.end()):
            return True
    text = _COMPANY_FORM.sub(" ", sentence)
    if _SUPPLY.search(text):
        for match in _SUPPLY_VERB.finditer(text):
            if not _negated(text, match.start(), match.end()):
                return True
    return False


# --- 2. court order -----------------------------------------------------------------------

_COURT_ORDER = re.compile(
    r"(?<![\w-])(судебн\w*\s+приказ\w*|приказн\w*\s+(?:производств|порядк)\w*"
    r"|сот\w*\s+бұйры[қғ]\w*|бұйрықтық\s+іс\s+жүргізу\w*)",
    _I,
)


def mentions_court_order(sentence: str) -> bool:
    return bool(_COURT_ORDER.search(sentence))


# --- 3. policy worded as law --------------------------------------------------------------

_LAW = re.compile(
    r"(?<![\w-])("
    r"в\s+соответствии\s+с\s+закон\w*|согласно\s+закон\w*|по\s+закону|в\s+силу\s+закона"
    r"|закон\w*\s+(?:обязывает|требует|предусматривает|устанавливает|предписывает)"
    r"|(?:установлен\w*|предусмотрен\w*|требуется|требуемы\w*|обязательн\w*)\s+закон\w*"
    r"|по\s+требованию\s+закон\w*|как\s+того\s+требует\s+закон\w*"
    r"|заңға\s+сәйкес|заң\s+бойынша|заңнамаға\s+сәйкес|заңмен\s+(?:белгіленген|көзделген)\w*"
    r"|заңнамамен\s+(?:белгіленген|көзделген)\w*|заң\s+талап\s+ет\w*|заң\s+міндеттей\w*"
    r")",
    _I,
)
POLICY_TERMS: tuple[tuple[str, re.Pattern[str]], ...] = (
    (
        "restructuring-terms",
        re.compile(r"льготн\w*\s+(?:срок|период)\w*|жеңілдікті\s+мерзім\w*", _I),
    ),
    (
        "penalty-discount",
        re.compile(
            r"скидк\w*|списани\w*\s+пен\w*|спис\w*\s+пен\w*|пен[яиюе]\w*\s+(?:будет\s+)?"
            r"(?:списан|уменьшен)\w*|жеңілдік\w*|өсімпұл\w*(?:\s+\S+){0,3}\s+есептен\s+шығар\w*",
            _I,
        ),
    ),
    (
        "delivery-outcome",
        re.compile(
            r"счита\w*\s+(?:врученн|доставленн|полученн)\w*|(?:врученн|полученн)\w*\s+счита\w*"
            r"|(?:тапсырылған|алынған|жеткізілген)\s+(?:болып\s+)?саналады",
            _I,
        ),
    ),
    ("segmentation", re.compile(r"(?<![\w-])сегмент\w*", _I)),
    (
        "penalty day count (legal/penalty)",
        re.compile(r"\b36[05]\s+(?:дн|календарн)\w*|дней\s+в\s+году|жылына\s+\d+\s+күн", _I),
    ),
)


def policy_worded_as_law(sentence: str) -> str | None:
    """The policy a sentence presents as law, or ``None``."""
    if not _LAW.search(sentence):
        return None
    for policy, pattern in POLICY_TERMS:
        if pattern.search(sentence):
            return policy
    return None


# --- the text, sentence by sentence -------------------------------------------------------

# A sentence ends at its stop, a line break, or a Typst content block's bracket (a template line
# holds the Kazakh and the Russian wording side by side: `say((t, l) => [...], (t, l) => [...])`).
_SENTENCE_END = re.compile(r"(?<=[.!?;…])\s+|\n+|[\[\]]")


def sentences(text: str) -> list[str]:
    return [s.strip() for s in _SENTENCE_END.split(text) if s.strip()]


def findings(text: str) -> list[Finding]:
    """Every rule a piece of text breaks, sentence by sentence."""
    found: list[Finding] = []
    for sentence in sentences(text):
        if threatens_cutoff(sentence):
            found.append(Finding(RULES[UTILITY_CUTOFF], sentence))
        if mentions_court_order(sentence):
            found.append(Finding(RULES[COURT_ORDER], sentence))
        policy = policy_worded_as_law(sentence)
        if policy is not None:
            found.append(Finding(RULES[POLICY_AS_LAW], sentence, policy))
    return found
