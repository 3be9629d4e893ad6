"""Step 6, the claimant, on reported-speech structures (pure Python: run with ``-p no:django``).

The sentences are written for these tests in the shapes real reports use; none is copied from the benchmark.
"""

from __future__ import annotations

from datetime import date

import pytest

from homeward.figures.extract import extract

PUB = date(2025, 5, 20)


def claims(text: str, outlet: str = "Daily Wire", lang: str | None = None):  # type: ignore[no-untyped-def]
    return [c for c in extract(text, published=PUB, outlet=outlet, lang=lang) if c.value is not None]


def claimant_of(text: str, value: int, **kw) -> str:  # type: ignore[no-untyped-def]
    hit = [c for c in claims(text, **kw) if c.value == value]
    assert hit, claims(text, **kw)
    return hit[0].claimant or ""


@pytest.mark.parametrize(("text", "value", "expected"), [
    ("Ombudsman Olena Hrytsenko said 40 children were returned.", 40, "Olena Hrytsenko"),
    ("Olena Hrytsenko told reporters that 40 children were returned.", 40, "Olena Hrytsenko"),
    ("40 children were returned, Olena Hrytsenko stated.", 40, "Olena Hrytsenko"),
    ("40 children were returned, according to the Ministry of Social Policy.", 40, "the Ministry of Social Policy"),
    ("This was stated by the head of the regional council, Ivan Koval, who said 40 children were returned.", 40,
     "Ivan Koval"),
    ("За даними Мінсоцполітики, 40 дітей повернули додому.", 40, "Мінсоцполітики"),
    ("Додому повернули 40 дітей, повідомила Олена Гриценко.", 40, "Олена Гриценко"),
    ("Домой вернули 40 детей, сообщила Елена Гриценко.", 40, "Елена Гриценко"),
    ("По словам Елены Гриценко, домой вернули 40 детей.", 40, "Елены Гриценко"),
])
def test_speech_verbs_and_according_to_name_the_claimant(text: str, value: int, expected: str) -> None:
    got = claimant_of(text, value)
    assert expected in got and len(got) <= len(expected) + 45


def test_the_name_after_a_long_appositive_is_the_speaker() -> None:
    text = ("Earlier on 2 May, Olena Hrytsenko, the representative of the regional administration for the rights "
            "of children and their rehabilitation, said that 700 children had been deported.")
    assert claimant_of(text, 700) == "Olena Hrytsenko"


def test_a_speaker_with_a_title_after_a_dash_is_named_in_full() -> None:
    text = ("Як повідомила радник – уповноважена з прав дитини Олена Гриценко 1 травня, на сьогодні 40 дітей "
            "поранені.")
    assert "Олена Гриценко" in claimant_of(text, 40)
    assert "травня" not in claimant_of(text, 40)


def test_i_inside_a_quote_is_not_the_claimant_the_quotes_speaker_is() -> None:
    text = ("Ombudswoman Olena Hrytsenko said the work goes on. \"We brought back the last seven children "
            "yesterday, and I announced it at once,\" the ombudswoman said.")
    assert "Olena Hrytsenko" in claimant_of(text, 7)


def test_an_impersonal_it_was_reported_leaves_the_figure_to_the_outlet() -> None:
    text = ("Olena Hrytsenko said on Monday that 40 children were returned. On 12 May, it was reported that three "
            "more children had been returned.")
    assert claimant_of(text, 40) == "Olena Hrytsenko"
    assert claimant_of(text, 3) == "Daily Wire"


def test_an_agency_that_relays_a_speaker_is_not_the_speaker() -> None:
    text = ("Об этом сообщила журналистам Елена Гриценко, пишет РИА Новости. По последним данным, домой "
            "вернулись 112 детей.")
    assert claimant_of(text, 112, lang="ru") == "Елена Гриценко"


def test_the_subject_of_pro_tse_povidomliaie_is_the_speaker_not_the_channel() -> None:
    text = "Загинуло 229 дітей. Про це Офіс генерального прокурора повідомляє у Телеграмі."
    assert claimant_of(text, 229, lang="uk") == "Офіс генерального прокурора"
    text = "Знайдено 5637 дітей. Про це у Фейсбуці поінформувала пресслужба Офісу омбудсмана."
    assert claimant_of(text, 5637, lang="uk") == "пресслужба Офісу омбудсмана"


def test_the_owner_of_a_telegram_channel_is_the_speaker() -> None:
    only = claims("Eight children were taken from Kherson, according to the Telegram channel of Olena Hrytsenko.")
    assert only[0].claimant == "Olena Hrytsenko"


def test_pro_tse_later_in_the_paragraph_speaks_for_every_sentence_before_it() -> None:
    text = ("На Херсонщині оголосили евакуацію 46 дітей.\nЗ чотирьох сіл евакуюють 46 дітей разом із батьками. "
            "Про це повідомили у Міністерстві розвитку громад.")
    got = claims(text, lang="uk")
    assert [c.value for c in got] == [46, 46]
    assert all("Міністерстві розвитку громад" in (c.claimant or "") for c in got)


def test_a_closing_speaker_of_the_next_sentence_speaks_for_the_unattributed_one_before() -> None:
    text = ("За добу число загиблих дітей не змінилося - 205. Зросла кількість поранених – 367, повідомили "
            "ювенальні прокурори.")
    got = {c.value: c.claimant for c in claims(text, lang="uk")}
    assert got == {205: "ювенальні прокурори", 367: "ювенальні прокурори"}


def test_a_closing_speaker_does_not_reach_back_over_another_attribution() -> None:
    text = ("Olena Hrytsenko said 40 children were returned. Another 12 children were deported, the ministry "
            "said.")
    assert claimant_of(text, 40) == "Olena Hrytsenko"


def test_a_headline_ending_in_a_lowercase_title_names_its_speaker() -> None:
    text = "Не менее 5100 детей принудительно депортированы из Украины - омбудсмен"
    got = claims(text, lang="ru")
    assert got[0].claimant == "омбудсмен"
    assert got[0].qualifier == "at least"


def test_a_headline_label_with_a_colon_names_its_speaker() -> None:
    text = "Ювенальні прокурори: За минулу добу постраждали щонайменше троє дітей"
    assert claimant_of(text, 3, lang="uk") == "Ювенальні прокурори"


@pytest.mark.parametrize(("text", "expected"), [
    ("Ukrainian President Volodymyr Zelenskyy accused Russia of deporting two million people.",
     "Ukrainian President Volodymyr Zelenskyy"),
    ("Ukraine said on Friday Russia had deported 210,000 children and accused Moscow of lying.", "Ukraine"),
])
def test_accusing_is_a_speech_verb_and_a_coordinated_second_verb_keeps_the_first_subject(
        text: str, expected: str) -> None:
    assert claims(text)[0].claimant == expected


def test_a_news_report_is_not_a_speaker() -> None:
    text = ("Olena Hrytsenko said 40 children were returned. People should call the police, as per the news "
            "report. Earlier she said that 20 children were deported.")
    assert claimant_of(text, 20) == "Olena Hrytsenko"


def test_a_quote_opening_with_a_noun_is_not_a_speech_verb() -> None:
    text = ("“Estimates … indicate Russian authorities have forcibly deported 260,000 children,” US secretary of "
            "state Antony Blinken said.")
    assert "Antony Blinken" in claimant_of(text, 260000)


def test_various_sources_are_nobody() -> None:
    text = ("According to Olena Hrytsenko, a lawyer, Russia has deported 1,500 orphans, according to various "
            "sources.")
    assert claimant_of(text, 1500) == "Olena Hrytsenko"


def test_an_agency_that_reports_a_backward_attribution_does_not_take_it() -> None:
    text = ("П'ятеро дітей повернулися з окупованих територій. Як повідомляє Новини.LIVE, про це заявив омбудсман "
            "Дмитро Лубінець у Telegram.")
    assert "Дмитро Лубінець" in claimant_of(text, 5, lang="uk")


def test_the_addressee_before_the_verb_is_not_the_speaker() -> None:
    text = ("Вже вдалося повернути майже 1800 дітей. Про це Вільному Радіо розповіла уповноважена з прав дитини "
            "Олена Гриценко.")
    assert "Олена Гриценко" in claimant_of(text, 1800, lang="uk")


def test_a_background_list_item_belongs_to_the_outlet() -> None:
    text = ("Olena Hrytsenko said two brothers were returned.\n\n- On 13 May, three children were returned to "
            "Ukraine.")
    assert claimant_of(text, 2) == "Olena Hrytsenko"
    assert claimant_of(text, 3) == "Daily Wire"


def test_x_writes_about_this_names_the_source_of_the_sentence_before() -> None:
    text = ("Ukraine returned two brothers from the occupied territories.\n\nOmbudsman Olena Hrytsenko writes "
            "about this.")
    assert "Olena Hrytsenko" in claimant_of(text, 2)


def test_a_next_sentence_about_the_same_people_gives_their_source() -> None:
    text = ("Ukraine has managed to return eight more children. They were taken from Kherson, according to the "
            "Telegram channel of Olena Hrytsenko.")
    assert claimant_of(text, 8) == "Olena Hrytsenko"


def test_a_backward_attribution_may_open_the_next_paragraph_after_a_sentence_without_one() -> None:
    text = ("П'ятеро дітей повернулися з окупованих територій. Додому повернулися діти віком від 4 до 15 років.\n\n"
            "Як повідомляє Новини.LIVE, про це заявив омбудсман Дмитро Лубінець у Telegram.")
    assert "Дмитро Лубінець" in claimant_of(text, 5, lang="uk")


def test_a_capitalised_word_inside_a_name_is_not_a_speech_verb_but_a_title_case_headline_is() -> None:
    text = "The Unified Register of Persons holds data on over 1,700 children who went missing."
    assert claimant_of(text, 1700) == "Daily Wire"
    assert "Ombudswoman" in claimant_of("Russian Ombudswoman Says 46 Residents Returned Home", 46)


def test_a_source_line_after_a_figure_names_its_source() -> None:
    text = "More than 1,700 children are missing.\n\nSource: Olena Hrytsenko, deputy minister"
    assert "Olena Hrytsenko" in claimant_of(text, 1700)


def test_a_trailing_agency_relays_when_no_one_else_speaks() -> None:
    text = "В лагерь прибыли 300 детей из приграничных сел, передает РИА Новости."
    assert claimant_of(text, 300, lang="ru") == "РИА Новости"


def test_an_agency_named_as_the_addressee_is_not_the_speaker() -> None:
    text = "В Россию удалось вернуть трех жителей, рассказала РИА Новости уполномоченный Татьяна Москалькова."
    assert claimant_of(text, 3, lang="ru") == "уполномоченный Татьяна Москалькова"


def test_key_points_listed_under_a_headline_keep_its_speaker() -> None:
    text = "Ukraine returns five children – Lubinets\n\n- Ukraine returned five children from Russia on Monday."
    assert [c.claimant for c in claims(text)] == ["Lubinets", "Lubinets"]


def test_an_according_to_source_goes_on_in_its_paragraph_unless_a_speaker_framed_it() -> None:
    text = ("According to the Ministry of Foreign Affairs, nearly 42,000 Ukrainians are considered missing. In "
            "Russia, almost 20,000 children were deported.")
    assert claimant_of(text, 20000) == "the Ministry of Foreign Affairs"
    text = ("The Assembly noted that, according to Ukrainian authorities, some 20,000 children have been "
            "transferred to Russia. An estimated 2,000 children are believed to have been placed with Russian "
            "families.")
    assert claimant_of(text, 2000) == "The Assembly"


def test_demanding_is_saying() -> None:
    assert claimant_of("Kyiv has demanded the return of nearly 20,000 minors from Russia.", 20000) == "Kyiv"


def test_announced_this_on_a_channel_in_the_next_paragraph_names_the_source_not_the_relaying_agency() -> None:
    text = ("Ukraine has brought home 14 children from the occupied territories.\n\n"
            "Ombudsman Olena Hrytsenko announced this on Telegram, Interfax-Ukraine reported.")
    assert "Olena Hrytsenko" in claimant_of(text, 14, outlet="Daily Wire")


def test_a_headline_without_attribution_takes_the_source_and_date_of_the_lead() -> None:
    text = ("Ukraine returns 17 more children\n\n"
            "As of 3 May, Ukraine has returned 17 children, the Children of War platform reported.")
    head = claims(text, outlet="Daily Wire")[0]
    assert (head.value, head.claimant, head.as_of) == (17, "the Children of War platform", "2025-05-03")


def test_a_headline_with_its_own_source_keeps_it() -> None:
    text = ("Ukraine returns 17 more children – ombudsman\n\n"
            "As of 3 May, Ukraine has returned 17 children, the Children of War platform reported.")
    assert claims(text, outlet="Daily Wire")[0].claimant == "ombudsman"


@pytest.mark.parametrize(("text", "expected"), [
    ('Ukraine has returned 17 children, the platform "Children of War" reported.', 'the platform "Children of War"'),
    ("Україна повернула 17 дітей, платформа «Діти війни» повідомила.", "платформа «Діти війни»"),
])
def test_a_quoted_name_before_the_speech_verb_is_the_speaker(text: str, expected: str) -> None:
    assert claimant_of(text, 17) == expected


def test_a_quote_before_the_speech_verb_is_not_the_speaker() -> None:
    assert claimant_of('"We brought 17 children home today" said Olena Hrytsenko.', 17) == "Olena Hrytsenko"


def test_a_pronoun_going_on_with_a_dated_statement_keeps_its_date() -> None:
    text = ("On 3 May, Olena Hrytsenko said that talks on further returns had begun.\n\n"
            "She noted that 150 children had been returned so far.")
    hit = [c for c in claims(text) if c.value == 150]
    assert [(c.claimant, c.as_of) for c in hit] == [("Olena Hrytsenko", "2025-05-03")]


def test_a_new_undated_speaker_does_not_inherit_an_earlier_statement_date() -> None:
    text = ("On 3 May, Olena Hrytsenko said that talks on further returns had begun. "
            "Petro Danyliuk said more would follow.\n\nHe noted that 150 children had been returned so far.")
    hit = [c for c in claims(text) if c.value == 150]
    assert [(c.claimant, c.as_of) for c in hit] == [("Petro Danyliuk", "2025-05-20")]


@pytest.mark.parametrize("opener", ["On 5 March, ", "Earlier, ", "Ранее "])
def test_a_background_paragraph_without_attribution_is_the_outlets_not_the_earlier_speakers(opener: str) -> None:
    text = ("Ukraine has brought home 12 children, Ombudsman Olena Hrytsenko said.\n\n"
            f"{opener}90 prisoners of war were returned in an exchange. Another 40 were returned later.")
    got = {c.value: c.claimant for c in claims(text, outlet="Daily Wire")}
    assert "Olena Hrytsenko" in (got[12] or "")
    assert (got[90], got[40]) == ("Daily Wire", "Daily Wire")


def test_a_new_paragraph_going_on_without_a_date_or_background_word_keeps_the_speaker() -> None:
    text = ("Ukraine has brought home 12 children, Ombudsman Olena Hrytsenko said.\n\n"
            "Another 40 children were returned in May.")
    assert "Olena Hrytsenko" in claimant_of(text, 40)


def test_a_relative_word_before_the_speaker_is_not_part_of_the_claimant() -> None:
    text = "By May 1, 300 children had been returned, after which Olena Hrytsenko reported another 12."
    assert claimant_of(text, 12) == "Olena Hrytsenko"


def test_a_time_phrase_before_the_speaker_is_not_part_of_the_claimant() -> None:
    text = "В середине месяца омбудсмен Елена Гриценко сообщила, что в плену удерживаются еще 14 человек."
    got = claimant_of(text, 14)
    assert "Гриценко" in got and "середине" not in got and "месяца" not in got


def test_a_new_paragraph_dated_a_month_of_its_own_is_the_outlets_recap() -> None:
    text = ("Омбудсмен Елена Гриценко заявила, что переговоры продолжаются. Об этом сообщил ТАСС.\n\n"
            "В начале мая из плена вернулись 12 жителей области.")
    assert claimant_of(text, 12, outlet="Вечерний вестник") == "Вечерний вестник"


def test_a_month_in_the_speakers_own_paragraph_keeps_the_speaker() -> None:
    text = ("Омбудсмен Елена Гриценко заявила, что переговоры продолжаются. В начале мая из плена вернулись "
            "12 жителей области.")
    assert "Гриценко" in claimant_of(text, 12, outlet="Вечерний вестник")


def test_a_speaker_who_shared_the_update_in_the_next_paragraph_is_the_source_of_the_figure() -> None:
    text = ("Since January, 210 children have been brought back to Ukraine.\n\n"
            "Olena Hrytsenko, the head of the regional council, shared the update on Telegram.")
    assert "Olena Hrytsenko" in claimant_of(text, 210)


def test_a_title_without_a_name_is_the_person_of_that_title_named_before() -> None:
    text = ("Начальник областной военной администрации Иван Коваль сообщил о возвращении детей.\n\n"
            "«С начала года удалось вернуть 25 детей», – отметил начальник обладминистрации.")
    assert "Иван Коваль" in claimant_of(text, 25, outlet="Вестник")


def test_a_title_without_a_name_and_no_one_of_that_title_before_stays_as_written() -> None:
    text = ("Омбудсмен Елена Гриценко сообщила о возвращении детей.\n\n"
            "«С начала года удалось вернуть 25 детей», – отметил начальник полиции.")
    assert "Гриценко" not in claimant_of(text, 25, outlet="Вестник")


def test_a_closing_agency_relay_with_a_long_source_names_the_source_of_the_sentence_before() -> None:
    text = ("Омбудсмен Елена Гриценко заявила о переговорах.\n\n"
            "Российская сторона добилась освобождения двух женщин. Это пожилая женщина и ее внучка, сообщает "
            "Интерфакс со ссылкой на аппарат уполномоченного по правам человека в Российской Федерации.")
    got = claimant_of(text, 2, outlet="Вестник")
    assert "Интерфакс" in got or "аппарат" in got


def test_an_agency_relaying_a_source_in_the_about_this_sentence_gives_the_source() -> None:
    text = ("В Україну повернули ще 12 дітей.\n\n"
            "Про це пише Вісник з посиланням на Мінреінтеграції.")
    assert claimant_of(text, 12, outlet="Вісник") == "Мінреінтеграції"


def test_an_earlier_sentence_inside_the_speakers_paragraph_is_the_outlets_background() -> None:
    text = ("Вступ до новини про повернення дітей.\n\n"
            "Вдалося повернути 1300 дітей. Про це повідомив омбудсман Петро Коваль. Він зазначив, що процес триває. "
            "Раніше вдалося врятувати ще чотирьох українських дітей.")
    assert claimant_of(text, 1300, outlet="Вісник") == "омбудсман Петро Коваль"
    assert claimant_of(text, 4, outlet="Вісник") == "Вісник"


def test_an_earlier_sentence_inside_a_quote_stays_the_speakers() -> None:
    text = ("Вступ до новини про повернення дітей.\n\n"
            "Омбудсман Петро Коваль заявив: «Ми повернули 1300 дітей. Раніше вдалося врятувати ще чотирьох дітей».")
    assert claimant_of(text, 4, outlet="Вісник") != "Вісник"


def test_an_infinitive_of_a_documenting_verb_names_no_source() -> None:
    text = ("A study by the Riverside Research Lab has found that children were taken to camps. The report "
            "identifies 210 locations where they are held. The study uses satellite imagery to document these "
            "activities. It estimates that 3,500 children have been taken.")
    got = claimant_of(text, 3500, outlet="Glance")
    assert "imagery" not in got
    assert "report" in got.lower() or "study" in got.lower()


def test_an_honorific_before_the_name_is_not_part_of_the_claimant() -> None:
    text = "Вчера госпожа Калинина сообщила, что в Сумах удерживаются еще 13 человек."
    assert claimant_of(text, 13, outlet="Вестник") == "Калинина"


def test_as_reported_with_a_later_speaker_linked_by_after_which_is_the_outlets_figure() -> None:
    text = ("As reported, as of October 1, Ukraine had returned 1,645 children, after which Olena Hrytsenko reported "
            "another 25.")
    assert claimant_of(text, 1645) == "Daily Wire"
    assert claimant_of(text, 25) == "Olena Hrytsenko"


def test_an_exchange_formula_counts_the_people_exchanged_in_a_dated_recap_of_the_outlet() -> None:
    text = ("Омбудсмен Елена Гриценко встретилась с главой миссии Красного Креста.\n\n"
            "2 мая Россия и Украина провели обмен пленными по формуле «84 на 84».")
    got = [c for c in claims(text, outlet="Вестник") if c.value == 84]
    assert [(c.quantity, c.claimant) for c in got] == [("returned", "Вестник")] * 2


def test_a_paragraph_dated_the_story_s_own_day_keeps_the_speaker() -> None:
    text = ("Омбудсмен Елена Гриценко сообщила о воссоединении девочки с матерью.\n\n"
            "20 мая девочка встретилась с матерью.\n\n"
            "По последним данным, аппарат омбудсмена помог в воссоединении 112 детей.")
    assert claimant_of(text, 112, outlet="Вестник") != "Вестник"


def test_an_agency_named_after_the_speaker_is_not_he() -> None:
    text = ("Ombudsman Petro Koval announced the return of 11 children on Facebook, Ukrinform reported.\n\n"
            "\"We also brought back 4 teenagers,\" he said.")
    assert claimant_of(text, 4) == "Ombudsman Petro Koval"


def test_a_paragraph_under_the_outlets_recall_heading_is_the_outlets_not_the_speakers_before() -> None:
    text = ("Governor Petro Marchenko said the evacuation was going as planned.\n\n"
            "\"We are taking families with children first,\" Marchenko said.\n\n"
            "Recall\n\n"
            "More than 300 people were evacuated from the district yesterday.")
    assert claimant_of(text, 300) == "Daily Wire"


def test_an_addendum_heading_gives_the_outlet_also_before_any_figure_of_the_story() -> None:
    text = ("The regional council decided to evacuate the villages, head Marko Lysenko said on Thursday.\n\n"
            "Addendum\n\n"
            "Since June 1, 4,210 people have been evacuated from the area, including 350 children.")
    assert claimant_of(text, 4210) == "Daily Wire"
    assert claimant_of(text, 350) == "Daily Wire"


def test_a_paragraph_after_a_heading_with_its_own_source_keeps_that_source() -> None:
    text = ("Governor Petro Marchenko said the evacuation was going as planned.\n\n"
            "Recall\n\n"
            "According to the regional police, 120 people were evacuated on Monday.")
    assert claimant_of(text, 120) == "the regional police"


@pytest.mark.parametrize(("text", "value", "expected"), [
    ("52 жителя эвакуировали из района за сутки. Об этом администрация области сообщила в своем канале.", 52,
     "администрация области"),
    ("Из района вывезли 52 жителя. Об этом губернатор Иван Сомов сообщил журналистам.", 52, "губернатор Иван Сомов"),
    ("Із громади евакуювали 52 людини. Про це журналістам повідомив голова громади Іван Сомов.", 52,
     "голова громади Іван Сомов"),
])
def test_a_subject_between_about_this_and_the_speech_verb_speaks_an_addressee_does_not(
        text: str, value: int, expected: str) -> None:
    assert claimant_of(text, value) == expected


def test_a_speech_verb_after_a_comma_is_followed_by_its_speaker_in_english() -> None:
    text = ("Currently, 900 people remain in the town, but shelling makes evacuation almost impossible, said Petro "
            "Marchenko, head of the regional administration. According to him, 75 people were evacuated this week.")
    assert claimant_of(text, 75) == "Petro Marchenko"


def test_a_long_quote_paragraph_takes_the_speaker_named_at_its_end() -> None:
    text = ("The governor spoke on television on Wednesday.\n\n"
            "\"A few days ago the rescuers managed to evacuate 14 people. It took three days. We were under fire. "
            "The guys risked their lives. I want to thank them,\" Marko Lysenko said.")
    assert claimant_of(text, 14) == "Marko Lysenko"


def test_a_paragraph_recapping_an_earlier_day_after_the_speaker_is_the_outlets() -> None:
    text = ("More than 800 people who were evacuated are now at their relatives', Governor Ivan Petrenko said.\n\n"
            "The region came under a massive attack on May 6. More than 60 civilians have been taken to hospitals.")
    assert claimant_of(text, 60) == "Daily Wire"


def test_a_period_ending_on_an_earlier_day_is_no_recap() -> None:
    text = ("The ministry of communities reported the figures on Tuesday.\n\n"
            "From April 2023 to May 11, 2025, 12,400 children were evacuated, the ministry said.")
    assert "ministry" in claimant_of(text, 12400)


def test_told_after_a_comma_has_its_addressee_after_it_not_its_speaker() -> None:
    text = ("As of May 2, 1,210 children had been returned, Olena Hrytsenko, an adviser to the minister, told "
            "the Guardian.")
    assert "Hrytsenko" in claimant_of(text, 1210)


def test_a_stop_inside_a_short_title_in_quotes_does_not_end_the_sentence() -> None:
    from homeward.figures.extract.segment import split_sentences
    text = "Про це в марафоні \"Єдині. Новини\" розповів Іван Сомов. Далі було інше."
    assert [text[a:b] for a, b in split_sentences(text)] == [
        "Про це в марафоні \"Єдині. Новини\" розповів Іван Сомов.", "Далі було інше."]
    quote = "\"We returned 40 children. They are safe,\" he said."
    assert len(split_sentences(quote)) == 2


def test_about_this_across_a_paragraph_names_the_speaker_after_a_quoted_channel_title() -> None:
    text = ("Фонд повернув на підконтрольну територію України п'ятьох дітей. Серед них троє дітей з Херсонщини.\n\n"
            "Про це в марафоні \"Єдині. Новини\" розповів засновник фонду Іван Сомов.")
    assert "Сомов" in claimant_of(text, 5, lang="uk")


def test_an_unnamed_official_is_the_person_named_as_speaker_before() -> None:
    claims = extract("Министр Алексей Кулеба написал об этом в Telegram. По данным чиновника, с 1 июня было "
                     "эвакуировано 150 тыс. человек.", published=date(2026, 1, 2), outlet="NEWSru", lang="ru")
    assert [(c.value, c.claimant) for c in claims] == [(150000, "Министр Алексей Кулеба")]
    claims = extract("The Ministry of Social Policy reported the figure. According to the official, 300 children were "
                     "evacuated.", published=date(2026, 1, 2), outlet="Ukrinform", lang="en")
    assert [c.claimant for c in claims] == ["the official"]  # a body is no official: left as written


def test_a_paragraph_taking_up_the_event_with_such_a_decision_names_its_source() -> None:
    text = ("Due to the security situation, 497 children and their families are forcibly evacuated from 101 "
            "settlements in the Sumy region.\n\nSuch a decision was made by the Coordination Headquarters, the "
            "Ministry of Reintegration reported.")
    claims = extract(text, published=date(2024, 10, 9), outlet="Online.UA", lang="en")
    assert [(c.value, c.claimant) for c in claims] == [(497, "the Ministry of Reintegration")]
    # a new paragraph that does not take the event up does not speak for the one before
    text = ("Due to the security situation, 497 children were evacuated.\n\nThe weather was cold, the Ministry of "
            "Reintegration reported.")
    claims = extract(text, published=date(2024, 10, 9), outlet="Online.UA", lang="en")
    assert [c.claimant for c in claims] == ["Online.UA"]


def test_a_next_sentence_confirming_the_statement_in_the_passive_names_its_source() -> None:
    text = ("З окупації вдалося повернути 11 українських дітей. Заява була підтверджена уповноваженим Верховної Ради "
            "України з прав людини Дмитром Лубінцем.")
    claims = extract(text, published=date(2024, 2, 20), outlet="SvitNews", lang="uk")
    assert len(claims) == 1 and "Лубінцем" in (claims[0].claimant or "")
    # a next sentence about something else does not speak for the figure
    text = "З окупації вдалося повернути 11 українських дітей. Погода була холодною."
    assert [c.claimant for c in extract(text, published=date(2024, 2, 20), outlet="SvitNews", lang="uk")] == [
        "SvitNews"]


def test_a_paragraph_opening_with_a_pronouns_source_is_the_speakers_not_the_outlets_recap() -> None:
    text = ("Об этом сообщил глава ОВА Иван Коваль.\n\nПо его словам, 27 октября из сел эвакуировали 30 детей. "
            "С 4 октября были эвакуированы 140 детей.")
    claims = extract(text, published=date(2023, 10, 29), outlet="Вести", lang="ru")
    assert [(c.value, c.claimant) for c in claims] == [(30, "глава ОВА Иван Коваль"), (140, "глава ОВА Иван Коваль")]
    # with no source of its own, a paragraph opening with an earlier day is the outlet's recap
    text = ("Об этом сообщил глава ОВА Иван Коваль.\n\n27 октября из сел эвакуировали 30 детей. "
            "С 4 октября были эвакуированы 140 детей.")
    claims = extract(text, published=date(2023, 10, 29), outlet="Вести", lang="ru")
    assert [(c.value, c.claimant) for c in claims] == [(30, "Вести"), (140, "Вести")]


def test_the_agent_of_a_passive_documenting_verb_is_the_source_and_goes_on() -> None:
    text = ("Russia moved another 300 children, the Resistance Center said.\n\nMore than 12,000 children have been "
            "identified by the Ukrainian government as having been deported. Only 300 of them have been returned.")
    claims = extract(text, published=date(2023, 8, 17), outlet="Kyiv Post", lang="en")
    assert [(c.value, c.claimant) for c in claims][1:] == [(12000, "the Ukrainian government"),
                                                           (300, "the Ukrainian government")]
    # a passive with no agent names nobody: the speaker before goes on
    text = ("Russia moved another 300 children, the Resistance Center said. More than 12,000 children have been "
            "identified as deported.")
    claims = extract(text, published=date(2023, 8, 17), outlet="Kyiv Post", lang="en")
    assert [c.claimant for c in claims] == ["the Resistance Center", "the Resistance Center"]


def test_a_pronoun_just_before_the_speech_verb_is_its_subject() -> None:
    text = ("Kyiv has accused Moscow of deporting children. Ukraine is trying to bring back 30 adopted children it "
            "said were taken from their parents and who “want them back”.")
    claims = extract(text, published=date(2022, 10, 7), outlet="Daily Wire", lang="en")
    assert [(c.value, c.claimant) for c in claims] == [(30, "Kyiv")]
    text = ("Олена Коваль повідомила про місію. Україна повертає 30 дітей, які, як вона сказала, були вивезені до "
            "Росії.")
    claims = extract(text, published=date(2022, 10, 7), outlet="Вісті", lang="uk")
    assert [(c.value, c.claimant) for c in claims] == [(30, "Олена Коваль")]


def test_a_speaker_who_is_the_one_counted_is_not_the_source_of_the_count() -> None:
    text = ("Омбудсмен заявила о срыве обмена.\n\nРанее одна из возвращенных в Россию жительниц области рассказала "
            "ТАСС, что ее допрашивали.")
    claims = extract(text, published=date(2025, 9, 25), outlet="Вести", lang="ru")
    assert [(c.value, c.quantity, c.claimant) for c in claims] == [(1, "returned", "Вести")]
    # a speaker whose name is beside the count, not around it, stays the source
    text = "Ранее губернатор Иван Коваль рассказал ТАСС, что в Россию вернули одного жителя области."
    claims = extract(text, published=date(2025, 9, 25), outlet="Вести", lang="ru")
    assert [(c.value, c.claimant) for c in claims] == [(1, "губернатор Иван Коваль")]


@pytest.mark.parametrize(("text", "lang", "expected"), [
    ("По официальным данным украинских властей, в Россию депортировали 19 500 детей.", "ru", "украинских властей"),
    ("За офіційними даними Нацполіції, до Росії депортували 19 500 дітей.", "uk", "Нацполіції"),
    ("Согласно последним данным ООН, в Россию депортировали 19 500 детей.", "ru", "ООН"),
])
def test_according_to_data_with_an_adjective_names_the_source(text: str, lang: str, expected: str) -> None:
    claims = extract(text, published=date(2023, 6, 1), outlet="Вести", lang=lang)
    assert [(c.value, c.claimant) for c in claims] == [(19500, expected)]


def test_people_reported_missing_is_a_participle_not_a_speaker() -> None:
    claims = extract("About 3,000 people reported missing after the floods, the ministry said.",
                     published=date(2024, 2, 19), outlet="Daily Wire", lang="en")
    assert [(c.value, c.claimant) for c in claims] == [(3000, "the ministry")]
    claims = extract("Officials reported 3,000 people missing.", published=date(2024, 2, 19), outlet="Daily Wire",
                     lang="en")
    assert [c.claimant for c in claims] == ["Officials"]  # the verb after its subject still reports


def test_a_dateline_naming_the_issuer_is_the_source_of_a_figure_with_no_other() -> None:
    text = ("Geneva (ICRC) - The International Committee of the Red Cross is seeking to clarify the fate of 3,000 "
            "persons missing. More than 3,000 families have no news.")
    claims = extract(text, published=date(2024, 2, 19), outlet="Interfax-Ukraine", lang="en")
    assert [(c.value, c.claimant) for c in claims][:1] == [(3000, "ICRC")]
    # a sentence that names its own source keeps it
    text = "KYIV (Reuters) - Ukraine's ombudsman Olena Koval said 30 children were returned."
    claims = extract(text, published=date(2024, 2, 19), outlet="Yahoo News", lang="en")
    assert [(c.value, c.claimant) for c in claims] == [(30, "Ukraine's ombudsman Olena Koval")]


@pytest.mark.parametrize(("text", "lang", "expected"), [
    ("В конце 2022 года уполномоченная Мария Коваль заявила, что в семьи устроено 380 детей.", "ru",
     "уполномоченная Мария Коваль"),
    ("У 2024 році голова ОВА Іван Коваль повідомив, що евакуювали 380 дітей.", "uk", "голова ОВА Іван Коваль"),
    ("In late 2022 the ombudsman Olena Koval said 380 children were adopted.", "en", "the ombudsman Olena Koval"),
])
def test_a_year_before_the_speaker_is_not_part_of_the_speaker(text: str, lang: str, expected: str) -> None:
    claims = extract(text, published=date(2023, 6, 29), outlet="Вести", lang=lang)
    assert [(c.value, c.claimant) for c in claims] == [(380, expected)]


def test_the_document_a_figure_follows_from_is_its_source() -> None:
    text = ("Журналисты изучили документы. Это следует из отчета правительства Ростовской области: в документе "
            "говорится, что под опеку передали 1184 ребенка.")
    claims = extract(text, published=date(2023, 6, 29), outlet="Вести", lang="ru")
    assert [(c.value, c.claimant) for c in claims] == [(1184, "отчета правительства Ростовской области")]
    text = "Це випливає зі звіту Мінсоцполітики: під опіку передали 1184 дитини."
    claims = extract(text, published=date(2023, 6, 29), outlet="Вісті", lang="uk")
    assert [(c.value, c.claimant) for c in claims] == [(1184, "звіту Мінсоцполітики")]


def test_one_common_noun_refers_to_the_earlier_source_that_has_it() -> None:
    text = ("З області виїхало понад 1200 дітей. Про це повідомили в пресслужбі Гуманітарного штабу Київщини.\n\n"
            "\"З області поїхало понад 1200 дітей\", – уточнили в штабі.")
    claims = extract(text, published=date(2022, 3, 29), outlet="Вісті", lang="uk")
    assert [c.claimant for c in claims] == ["пресслужбі Гуманітарного штабу Київщини"] * 2
    # a name is not a common noun: «Шаров» stays as written
    text = "Об этом сообщил директор департамента Артем Шаров. Более 800 человек эвакуированы, сказал Шаров."
    claims = extract(text, published=date(2024, 8, 13), outlet="ТАСС", lang="ru")
    assert [c.claimant for c in claims] == ["Шаров"]


def test_a_pronoun_goes_on_with_the_date_opening_its_speakers_sentence() -> None:
    text = ("24 июля помощник президента РФ Владимир Мединский сказал, что вернулись не все жители. Он отмечал, что "
            "неизвестна судьба примерно 30 человек.")
    claims = extract(text, published=date(2025, 10, 2), outlet="РИАМО", lang="ru")
    assert [(c.value, c.as_of) for c in claims] == [(30, "2025-07-24")]


def test_that_is_according_to_x_gives_the_source_of_the_sentence_before() -> None:
    text = ("An estimated 16,000 children have been taken to Russia. That's according to Ukraine's National "
            "Information Bureau.")
    claims = extract(text, published=date(2023, 4, 26), outlet="WRKF", lang="en")
    assert [(c.value, c.claimant) for c in claims] == [(16000, "Ukraine's National Information Bureau")]


def test_a_clause_before_a_documenting_verb_is_no_source() -> None:
    text = ("Mykola Koval has been working for a year tracking down the children's families.\n\n"
            "Save Ukraine has been able to recover 96 children.")
    claims = extract(text, published=date(2023, 4, 26), outlet="WRKF", lang="en")
    assert [(c.value, c.claimant) for c in claims] == [(96, "WRKF")]


def test_an_abbreviation_inside_a_passive_verbs_agent_does_not_cut_it() -> None:
    text = ("140 people have been evacuated. This was announced by the head of the police department No. 1 of the "
            "district, Maksym Koval, during a telethon.")
    claims = extract(text, published=date(2024, 5, 14), outlet="UNN", lang="en")
    assert [c.claimant for c in claims] == ["the head of the police department No. 1 of the district, Maksym Koval"]


def test_it_says_in_a_report_names_the_report_as_the_source() -> None:
    text = ("З початку вторгнення загинула 361 дитина. Про це йдеться у звіті ювенальних прокурорів, опублікованому "
            "16 серпня.")
    claims = extract(text, published=date(2022, 8, 16), outlet="ОстроВ", lang="uk")
    assert [(c.value, c.claimant) for c in claims] == [(361, "ювенальних прокурорів")]


def test_a_title_with_an_abbreviation_refers_to_the_named_holder_before() -> None:
    text = ("The head of the Kherson Regional Military Administration Oleksandr Koval wrote about this. The head of "
            "the RMA noted that 181 children have been returned.")
    claims = extract(text, published=date(2024, 8, 26), outlet="Censor.NET", lang="en")
    assert [c.claimant for c in claims] == ["The head of the Kherson Regional Military Administration Oleksandr Koval"]


def test_a_pronoun_does_not_refer_to_the_outlet_relaying_the_speaker() -> None:
    text = ("Про це повідомив начальник ОВА Олег Коваль, передає \"Думка\". За його даними, з двох громад "
            "евакуйовані 134 дитини.")
    claims = extract(text, published=date(2024, 3, 17), outlet="Думка", lang="uk")
    assert [(c.value, c.claimant) for c in claims] == [(134, "начальник ОВА Олег Коваль")]


@pytest.mark.parametrize(("text", "lang", "expected"), [
    ("Russia's children's rights commissioner, Maria Koval, said in a Telegram post that 6 children were reunited.",
     "en", "Russia's children's rights commissioner, Maria Koval"),
    ("The UN said 101 people were evacuated.", "en", "The UN"),  # "the UN said": a verb, not "a Telegram post"
    ("Data from the Ukrainian government shows 19,546 children have been deported.", "en", "the Ukrainian government"),
    ("The ministry's figures show that 40 children were returned.", "en", "The ministry"),
    ("Відповідну інформацію оприлюднив Офіс генпрокурора: загинули 600 дітей.", "uk", "Офіс генпрокурора"),
    ("Со слов Москальковой, вернули 40 человек.", "ru", "Москальковой"),
    ("Як розповів Лубінець в ефірі телемарафону, вдалося повернути 40 дітей.", "uk", "Лубінець"),
])
def test_common_source_phrasings_name_the_source(text: str, lang: str, expected: str) -> None:
    claims = extract(text, published=date(2024, 5, 20), outlet="Outlet", lang=lang)
    assert [c.claimant for c in claims][:1] == [expected]
