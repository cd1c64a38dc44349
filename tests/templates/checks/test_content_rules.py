"""The content rules on realistic sentences a lawyer might write, and on innocent ones."""

from __future__ import annotations

import pytest

from service.templates.checks.content_rules import (
    COURT_ORDER,
    POLICY_AS_LAW,
    UTILITY_CUTOFF,
    findings,
    mentions_court_order,
    policy_worded_as_law,
    threatens_cutoff,
)

THREATS = [
    "В случае неоплаты задолженности подача воды будет приостановлена.",
    "Если долг не будет погашен, мы отключим электроэнергию в Вашей квартире.",
    "ОСИ вправе отключить Ваше помещение от водоснабжения и электроснабжения.",
    "При непогашении задолженности предоставление коммунальных услуг будет прекращено.",
    "Вам будет ограничена подача горячей воды.",
    "Квартира будет отключена от отопления до полного погашения долга.",
    "Мы оставляем за собой право отключить газ.",
    "Напоминаем, что должники отключаются от лифта.",
    "Мы прекратим подачу тепла.",
    "Будет произведено отключение света.",
    "Перекроем холодную воду в стояке.",
    "Вас отрежут от газа.",
    "Будет введено ограничение режима потребления электроэнергии.",
    "Доступ к лифту будет заблокирован.",
    "Электр қуатын беру тоқтатылады.",
    "Жарық сөндіріледі.",
    "Берешек өтелмесе, суды беру тоқтатылады.",
    "Берешек төленбеген жағдайда пәтеріңіз электр энергиясынан ажыратылады.",
    "МИБ үй-жайды жылудан ажыратуға құқылы.",
    "Коммуналдық қызметтерді ұсыну тоқтатылуы мүмкін.",
    "Газды беруді шектейміз.",
    "Жарықты өшіреміз.",
]

INNOCENT = [
    # the law's protection, stated
    "Неуплата взносов не является основанием для отключения помещения от коммунальных услуг.",
    "ОСИ не вправе отключать воду или электроэнергию за долги.",
    "Отключать электроэнергию за неуплату взносов запрещено.",
    "Жарналарды төлемеу ажыратуға негіз болмайды.",
    "Үй-жай судан және электр энергиясынан ажыратылмайды.",
    "Біз жылуды ажыратпаймыз.",
    # nothing to do with utilities
    "Просим погасить задолженность по взносам в течение 10 дней.",
    "Прекращение обязательства исполнением не освобождает от уплаты пени.",
    "Начисление пени может быть приостановлено на время действия соглашения.",
    "Вы вправе письменно запросить финансовые документы объединения.",
    "В свете изложенного просим погасить долг.",
    "Управляющая компания ТОО «Теплосервис» с ограниченной ответственностью напоминает о долге.",
    "Расходы на содержание общего имущества включают расходы на лифт.",
    "Сведения направляются по электронной почте.",
    "Ағымдағы және жинақтаушы жарналарды ажыратып көрсетеміз.",
    "Электрондық пошта арқылы жауап беріледі.",
    "Газета «Егемен Қазақстан» жарнамасы.",
    "Водитель не допускается к парковке без пропуска.",
]


@pytest.mark.parametrize("sentence", THREATS)
def test_a_threat_to_cut_off_a_utility_is_found(sentence: str) -> None:
    assert threatens_cutoff(sentence), sentence
    (finding,) = [f for f in findings(sentence) if f.rule.id == UTILITY_CUTOFF]
    assert finding.rule.provision == "housing-38"


@pytest.mark.parametrize("sentence", INNOCENT)
def test_an_innocent_sentence_is_not_a_threat(sentence: str) -> None:
    assert not threatens_cutoff(sentence), sentence


@pytest.mark.parametrize(
    "sentence",
    [
        "Кредитор обратится за выдачей судебного приказа.",
        "Задолженность будет взыскана в приказном производстве.",
        "Судебный приказ будет направлен Вам почтой.",
        "Кредитор сот бұйрығын шығаруға жүгінеді.",
        "Сот бұйрығы бойынша өндіріп алынады.",
    ],
)
def test_a_court_order_is_found_in_both_languages(sentence: str) -> None:
    assert mentions_court_order(sentence)
    (finding,) = [f for f in findings(sentence) if f.rule.id == COURT_ORDER]
    assert finding.rule.provision == "gpk-135"


@pytest.mark.parametrize(
    "sentence",
    ["Кредитор вправе обратиться в суд с иском.", "Приказ председателя № 5.", "Сотқа жүгінеді."],
)
def test_a_claim_in_court_is_not_a_court_order(sentence: str) -> None:
    assert not mentions_court_order(sentence)


@pytest.mark.parametrize(
    ("sentence", "policy"),
    [
        ("В соответствии с законом Вам предоставляется скидка на пеню 50 %.", "penalty-discount"),
        ("Согласно закону пеня будет списана при оплате долга в срок.", "penalty-discount"),
        ("По закону письмо считается врученным в день возврата.", "delivery-outcome"),
        ("Льготный срок 5 дней установлен законом.", "restructuring-terms"),
        (
            "Пеня рассчитывается из 365 дней в году, как того требует закон.",
            "penalty day count (legal/penalty)",
        ),
        ("Заңға сәйкес өсімпұл бойынша жеңілдік беріледі.", "penalty-discount"),
        ("Заң бойынша қайтарылған хат тапсырылған болып саналады.", "delivery-outcome"),
    ],
)
def test_a_policy_worded_as_law_is_found(sentence: str, policy: str) -> None:
    assert policy_worded_as_law(sentence) == policy
    (finding,) = [f for f in findings(sentence) if f.rule.id == POLICY_AS_LAW]
    assert finding.policy == policy


@pytest.mark.parametrize(
    "sentence",
    [
        # the policy, stated as the creditor's decision
        "По решению собрания собственников (протокол № 3) пеня будет уменьшена на 50 %.",
        "Скидка на пеню действует при полной оплате основного долга в срок.",
        # the law, without a policy term
        "Расходы могут быть взысканы с Вас в порядке, установленном законодательством.",
        "Собственники обязаны уплачивать взносы в соответствии с законом.",
        "Заңнамада белгіленген тәртіппен сот шығыстары өндіріп алынуы мүмкін.",
        "Расчёт ведётся из 365 дней в году.",
    ],
)
def test_a_policy_or_the_law_alone_is_fine(sentence: str) -> None:
    assert policy_worded_as_law(sentence) is None


def test_every_sentence_of_a_paragraph_is_read() -> None:
    text = (
        "Просим погасить долг. Иначе мы отключим воду! Также будет подано заявление о выдаче "
        "судебного приказа."
    )
    assert [f.rule.id for f in findings(text)] == [UTILITY_CUTOFF, COURT_ORDER]
