//! Each test states one phenomenon of names in Kazakhstan and how the score treats it.

use chrono::NaiveDate;
use iz_names::{DateEvidence, How, Person, Sex, SexEvidence, explain, score_names, score_value};

fn date(y: i32, m: u32, d: u32) -> Option<NaiveDate> {
    NaiveDate::from_ymd_opt(y, m, d)
}

fn person(name: &str, birth: Option<NaiveDate>, sex: Option<Sex>) -> Person {
    Person::new(name, birth, sex)
}

const MATCH: f64 = 0.8;

#[test]
fn tokayev_in_icao_latin_matches_токаев_in_cyrillic() {
    let s = explain(
        &person("TOKAYEV KASSYM-ZHOMART", None, None),
        &person("Тоқаев Қасым-Жомарт", None, None),
    );
    assert!(s.score >= 0.95, "{s:?}");
    assert!(s.aligned.iter().all(|a| a.how == How::SameKey), "{s:?}");
}

#[test]
fn russian_spelling_of_kazakh_letters_matches_the_kazakh() {
    assert!(score_names("Тоқаев Қасым", "Токаев Касым") >= 0.95);
    assert!(score_names("Әбішев Ғалымжан", "Абишев Галымжан") >= 0.95);
    assert!(score_names("Нұрлан Өмірбаев", "Нурлан Омирбаев") >= 0.95);
}

#[test]
fn common_romanisations_of_tokayev_all_match() {
    for s in [
        "Tokayev Kassym",
        "Tokaev Kasym",
        "Toqaev Qasym",
        "Tokajew Kassym",
        "tokayev, kasym",
    ] {
        assert!(score_names("Тоқаев Қасым", s) >= 0.95, "{s}");
    }
}

#[test]
fn german_and_polish_spellings_match_russian() {
    assert!(score_names("Schukow Georgi", "Жуков Георгий") >= MATCH);
    assert!(
        score_names("Żukow Jerzy", "Жуков Георгий") < MATCH,
        "a different given name"
    );
    assert!(score_names("Tschernow Sergej", "Чернов Сергей") >= 0.95);
    assert!(score_names("Szczerbakowa Tatiana", "Щербакова Татьяна") >= 0.95);
    // j after a consonant is read as ж (Kazakh Latin Nurjan), so Tatjana is a fuzzy Татьяна.
    assert!(score_names("Szczerbakowa Tatjana", "Щербакова Татьяна") >= MATCH);
}

#[test]
fn kazakh_latin_of_2021_matches_cyrillic() {
    assert!(score_names("Şäripov Jaqsylyq", "Шәріпов Жақсылық") >= 0.95);
    assert!(score_names("Ğaliev Ñurlan", "Ғалиев Ңұрлан") >= 0.95);
    assert!(score_names("Öteuli Ūlan Ümbetov", "Өтеулі Ұлан Үмбетов") >= 0.95);
}

#[test]
fn kazakh_latin_of_2017_with_apostrophes_matches_cyrillic() {
    assert!(score_names("S'a'ripov Jaqsylyq", "Шәріпов Жақсылық") >= 0.95);
    assert!(score_names("G'aliev Nurlan", "Ғалиев Нұрлан") >= 0.95);
    assert!(
        score_names("C'ingiz Aitmatov", "Шыңғыс Айтматов") < MATCH,
        "ч is not ш"
    );
}

#[test]
fn kazakh_latin_of_2018_with_acute_accents_matches_cyrillic() {
    assert!(score_names("Śáripov Jaqsylyq", "Шәріпов Жақсылық") >= 0.95);
    assert!(score_names("Ǵalıev Ńurlan", "Ғалиев Ңұрлан") >= 0.95);
    assert!(
        score_names("Ćokan Ýálıhanov", "Шоқан Уәлиханов") < 0.95,
        "ć is ч, not ш"
    );
}

#[test]
fn a_missing_patronymic_costs_little() {
    let full = score_names("Тоқаев Қасым-Жомарт Кемелұлы", "Тоқаев Қасым-Жомарт");
    assert!(full >= 0.95, "{full}");
}

#[test]
fn patronymics_match_across_scripts_and_styles() {
    let s = explain(
        &person("Серікбаев Ерлан Нұрланұлы", None, None),
        &person("Serikbayev Yerlan Nurlanovich", None, None),
    );
    assert!(s.score >= 0.9, "{s:?}");
    assert!(s.aligned.iter().any(|a| a.how == How::Patronymic), "{s:?}");
    for p in ["Нурланулы", "Nurlanuly", "Nurlanuli", "Нурлан улы"] {
        assert!(
            score_names("Ерлан Нұрланұлы", &format!("Ерлан {p}")) >= 0.95,
            "{p}"
        );
    }
    for p in ["Нурланкызы", "Nurlanqyzy", "Nurlankyzy"] {
        assert!(
            score_names("Айгүл Нұрланқызы", &format!("Айгуль {p}")) >= 0.9,
            "{p}"
        );
    }
    for (a, b) in [
        ("Сергеевич", "Sergeyevich"),
        ("Сергеевна", "Sergeevna"),
        ("Петрович", "Petrowitsch"),
        ("Петровна", "Petrovna"),
    ] {
        assert!(
            score_names(&format!("Иван {a}"), &format!("Ivan {b}")) >= 0.9,
            "{a} {b}"
        );
    }
}

#[test]
fn different_patronymics_lower_the_score() {
    let same = score_names("Иванов Иван Петрович", "Иванов Иван Петрович");
    let other = score_names("Иванов Иван Петрович", "Иванов Иван Сергеевич");
    assert!(other < same);
    assert!(other < 0.95, "{other}");
}

#[test]
fn surname_gender_endings_are_weak_evidence() {
    let s = explain(
        &person("Иванова Анна", None, None),
        &person("Иванов Анна", None, None),
    );
    assert!(
        s.aligned.iter().any(|a| a.how == How::GenderEnding),
        "{s:?}"
    );
    assert!(s.score < score_names("Иванова Анна", "Ivanova Anna"));
    assert!(s.score > 0.85, "the same family name: {s:?}");
}

#[test]
fn a_gender_ending_disagreeing_with_the_given_sex_is_weak_evidence() {
    let agree = score_value(
        &person("Тоқаева Айгүл", None, Some(Sex::Female)),
        &person("Tokayeva Aigul", None, None),
    );
    let disagree = score_value(
        &person("Тоқаева Айгүл", None, Some(Sex::Male)),
        &person("Tokayeva Aigul", None, None),
    );
    let e = explain(
        &person("Тоқаева Айгүл", None, Some(Sex::Male)),
        &person("Tokayeva Aigul", None, None),
    );
    assert_eq!(e.sex, SexEvidence::EndingDisagrees);
    assert!(
        disagree < agree && disagree > 0.8 * agree,
        "{agree} {disagree}"
    );
}

#[test]
fn given_sexes_that_differ_lower_the_score_a_lot() {
    let a = person("Женя Ким", None, Some(Sex::Male));
    let b = person("Женя Ким", None, Some(Sex::Female));
    let s = explain(&a, &b);
    assert_eq!(s.sex, SexEvidence::Conflict);
    assert!(s.score <= 0.5, "{s:?}");
}

#[test]
fn given_name_and_surname_in_either_order() {
    assert!(score_names("Тоқаев Қасым", "Qasym Toqaev") >= 0.95);
    assert!(score_names("Иванов Иван Иванович", "Иван Иванович Иванов") >= 0.99);
}

#[test]
fn initials_match_weakly() {
    let s = explain(
        &person("Е. Тоқаев", None, None),
        &person("Tokayev Yerlan", None, None),
    );
    assert!(s.aligned.iter().any(|a| a.how == How::Initial), "{s:?}");
    assert!(s.score > 0.6 && s.score < MATCH, "{s:?}");
    let s = score_names("Tokayev E.", "Тоқаев Ерлан");
    assert!(s > 0.6 && s < MATCH, "{s}");
    assert!(
        score_names("Tokayev A.", "Тоқаев Ерлан") < 0.6,
        "a different initial"
    );
    let dated = score_value(
        &person("Е. Тоқаев", date(1980, 3, 4), None),
        &person("Ерлан Тоқаев", date(1980, 3, 4), None),
    );
    assert!(
        dated > score_names("Е. Тоқаев", "Ерлан Тоқаев"),
        "a birth date helps an initial"
    );
}

#[test]
fn initials_with_patronymic_initials() {
    let s = score_names("Тоқаев Е.Н.", "Тоқаев Ерлан Нұрланұлы");
    assert!(s > 0.6 && s < 0.8, "{s}");
}

#[test]
fn double_and_hyphenated_surnames() {
    assert!(score_names("Петров-Водкин Кузьма", "Petrov-Vodkin Kuzma") >= 0.95);
    assert!(score_names("Петров-Водкин Кузьма", "Petrov Vodkin Kuzma") >= 0.95);
    let one = score_names("Петров-Водкин Кузьма", "Петров Кузьма");
    assert!(
        one > 0.5 && one < MATCH,
        "one half of a double surname: {one}"
    );
}

#[test]
fn case_diacritics_punctuation_and_whitespace_do_not_matter() {
    assert_eq!(score_names("  ТОҚАЕВ,  Қасым. ", "тоқаев қасым"), 1.0);
    assert!(score_names("Tokáyev (Kassym)", "TOKAYEV KASSYM") >= 0.95);
}

#[test]
fn a_typo_is_a_fuzzy_match() {
    let s = explain(
        &person("Тоқаев Қасым", None, None),
        &person("Токаеев Касым", None, None),
    );
    let s2 = explain(
        &person("Tokayev Kassym", None, None),
        &person("Tokyaev Kassym", None, None),
    );
    assert!(s.score >= MATCH, "{s:?}");
    assert!(s2.score >= MATCH, "{s2:?}");
    assert!(s2.aligned.iter().any(|a| a.how == How::Fuzzy), "{s2:?}");
}

#[test]
fn different_people_with_similar_names_score_low() {
    assert!(score_names("Тоқаев Қасым", "Тоқаев Ерлан") < 0.6);
    assert!(score_names("Иванов Иван", "Иванов Пётр") < 0.6);
    assert!(score_names("Иванов Иван", "Смирнов Иван") < 0.6);
    assert!(score_names("Ахметов Нұрлан", "Ахмедов Нурсултан") < MATCH);
    assert!(score_names("Ким Сергей", "Пак Сергей") < 0.6);
}

#[test]
fn equal_birth_dates_raise_the_score() {
    let a = person("Tokaev Kasym", date(1953, 5, 17), None);
    let b = person("Тоқаев Қасым-Жомарт", date(1953, 5, 17), None);
    let s = explain(&a, &b);
    assert_eq!(s.birth_date, DateEvidence::Equal);
    assert!(s.score > s.name_score);
}

#[test]
fn swapped_day_and_month_is_weaker_than_equal_birth_date() {
    let name = ("Tokaev Kasym Kemeluly", "Тоқаев Қасым");
    let equal = score_value(
        &person(name.0, date(1953, 5, 7), None),
        &person(name.1, date(1953, 5, 7), None),
    );
    let swapped = explain(
        &person(name.0, date(1953, 7, 5), None),
        &person(name.1, date(1953, 5, 7), None),
    );
    let none = score_names(name.0, name.1);
    assert_eq!(swapped.birth_date, DateEvidence::DayMonthSwapped);
    assert!(
        none < swapped.score && swapped.score < equal,
        "{none} {} {equal}",
        swapped.score
    );
}

#[test]
fn a_year_apart_or_the_same_year_only_are_weak() {
    let base = score_names("Тоқаев Қасым", "Tokayev Kassym");
    let near = explain(
        &person("Тоқаев Қасым", date(1953, 5, 17), None),
        &person("Tokayev Kassym", date(1954, 5, 17), None),
    );
    let year = explain(
        &person("Тоқаев Қасым", date(1953, 5, 17), None),
        &person("Tokayev Kassym", date(1953, 9, 1), None),
    );
    assert_eq!(near.birth_date, DateEvidence::OneYearApart);
    assert_eq!(year.birth_date, DateEvidence::SameYear);
    assert!(year.score < near.score && near.score < base);
    assert!(
        near.score >= MATCH,
        "a typo in the year does not undo a good name"
    );
}

#[test]
fn a_conflicting_birth_date_lowers_the_score() {
    let s = explain(
        &person("Тоқаев Қасым", date(1953, 5, 17), None),
        &person("Tokayev Kassym", date(1978, 1, 2), None),
    );
    assert_eq!(s.birth_date, DateEvidence::Conflict);
    assert!(s.score < MATCH && s.score < s.name_score, "{s:?}");
}

#[test]
fn the_explanation_serialises() {
    let s = explain(
        &person("Тоқаев Е. Кемелұлы", date(1953, 5, 17), Some(Sex::Male)),
        &person("Tokayev Yerlan", date(1953, 5, 17), None),
    );
    let v = serde_json::to_value(&s).expect("serialises");
    assert!(v["score"].as_f64().is_some());
    assert_eq!(v["birth_date"], "equal");
    assert_eq!(v["aligned"][0]["how"], "same_key");
    assert!(v["unmatched_a"].as_array().is_some_and(|u| u.len() == 1));
}

#[test]
fn explanations_name_the_sides_as_given() {
    let ab = explain(
        &person("Tokayev", None, None),
        &person("Тоқаев Қасым", None, None),
    );
    let ba = explain(
        &person("Тоқаев Қасым", None, None),
        &person("Tokayev", None, None),
    );
    assert_eq!(ab.aligned[0].a, "tokayev");
    assert_eq!(ba.aligned[0].b, "tokayev");
    assert_eq!(ab.unmatched_b, ["қасым"]);
    assert_eq!(ba.unmatched_a, ["қасым"]);
    assert_eq!(ab.score, ba.score);
}
