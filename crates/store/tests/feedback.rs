//! Feedback in the store: questionnaires in versions, a survey's waves, answers stored whole
//! and once, results behind their threshold — and nothing that links an answer to the
//! person who gave it, in the schema or in the rows; on the backend chosen by
//! `HEADWAY_TEST_DATABASE_URL`.

use chrono::{Days, NaiveDate};
use headway_domain::feedback::{
    Localized, Question, QuestionKind, Questionnaire, Section, Shown, SubjectKind, TextReview,
    Threshold, WavePlan,
};
use headway_store::feedback::{
    Answering, FeedbackResults, NewSurvey, Questionnaires, Respondent, Surveys,
};
use headway_store::testing::TestDb;
use headway_store::{Store, StoreError};
use sea_orm::{ConnectionTrait, DbBackend, Statement};

fn t(en: &str) -> Localized {
    Localized::new(en, "", "", "")
}

fn question(key: &str, kind: QuestionKind, required: bool) -> Question {
    let choices = match kind {
        QuestionKind::Single | QuestionKind::Multiple => vec![t("one"), t("two"), t("three")],
        _ => vec![],
    };
    Question {
        key: key.into(),
        kind,
        required,
        text: t(key),
        choices,
        low: None,
        high: None,
    }
}

fn regional_group() -> Questionnaire {
    Questionnaire {
        title: t("Counselling in a group"),
        sections: vec![Section {
            title: t("Effects"),
            questions: vec![
                question("useful", QuestionKind::Scale, true),
                question("parts", QuestionKind::Multiple, false),
                question("again", QuestionKind::YesNo, true),
                question("remarks", QuestionKind::Text, false),
            ],
        }],
    }
}

async fn people(s: &Store, n: usize) -> Vec<i32> {
    use headway_store::entities::person;
    use sea_orm::{ActiveModelTrait, Set};
    let mut ids = Vec::new();
    for i in 0..n {
        ids.push(
            person::ActiveModel {
                given_name: Set(format!("Ravnatelj{i}")),
                family_name: Set("Novak".into()),
                email: Set(Some(format!("r{i}@example.si"))),
                search_key: Set(format!("ravnatelj{i} novak")),
                created_at: Set(headway_store::now()),
                ..Default::default()
            }
            .insert(s.conn())
            .await
            .unwrap()
            .id,
        );
    }
    ids
}

fn form(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
    pairs
        .iter()
        .map(|(a, b)| (a.to_string(), b.to_string()))
        .collect()
}

fn refused(e: StoreError) -> String {
    match e {
        StoreError::Refused(r) => r.code().to_owned(),
        e => panic!("not a refusal: {e:?}"),
    }
}

fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 12, 1).unwrap()
}

/// A survey of a regional group that ended today: an immediate wave (open now) and one
/// three months later; six people asked in the first.
async fn survey(s: &Store) -> (i32, i32, i32, Vec<(i32, String)>) {
    let q = s
        .save_questionnaire("coordinator", "regional-group", &regional_group())
        .await
        .unwrap();
    let id = s
        .create_survey(
            "coordinator",
            NewSurvey {
                questionnaire_id: q,
                subject: (SubjectKind::Network, 1),
                title: "Regional group Koper, spring 2026".into(),
                threshold: Threshold::DEFAULT,
                reminder_days: vec![7, 14],
                ended_on: today(),
                waves: vec![
                    ("Right after".into(), WavePlan::new(0, 14).unwrap()),
                    ("Three months later".into(), WavePlan::new(3, 21).unwrap()),
                ],
            },
        )
        .await
        .unwrap();
    let sv = s.survey(id).await.unwrap();
    assert_eq!(sv.waves.len(), 2);
    assert_eq!(
        sv.waves[1].opens_on,
        NaiveDate::from_ymd_opt(2027, 3, 1).unwrap()
    );
    let (now, later) = (sv.waves[0].id, sv.waves[1].id);
    let who = people(s, 6).await;
    let links = s.ask(now, &who).await.unwrap();
    assert_eq!(links.len(), 6);
    assert!(s.ask(now, &who).await.unwrap().is_empty(), "asked once");
    (q, now, later, links)
}

#[tokio::test]
async fn answers_are_stored_whole_and_once_and_results_wait_for_the_threshold() {
    let db = TestDb::new().await;
    let s = &db.store;
    let (_, now, later, links) = survey(s).await;
    let link = |i: usize| Respondent::Link(links[i].1.as_str());
    let b = s.ballot(link(0)).await.unwrap().unwrap();
    assert_eq!((b.answered, b.asked), (false, 6));
    assert!(s
        .ballot(Respondent::Link("nonsense"))
        .await
        .unwrap()
        .is_none());
    // Four answers: too few to show anything.
    for (i, point) in ["5", "4", "4", "2"].iter().enumerate() {
        s.answer(
            link(i),
            &form(&[
                ("q_useful", point),
                ("q_again", "yes"),
                ("q_parts", "1"),
                ("q_parts", "3"),
            ]),
            today(),
        )
        .await
        .unwrap();
    }
    let r = s.wave_results(now).await.unwrap();
    assert_eq!((r.asked, r.sets), (6, 4));
    assert!(r.questions.iter().all(|q| q.shown == Shown::TooFew));
    // A second use of a link, an answer outside the scale, a missing required answer: each
    // refused, nothing stored.
    let again = s
        .answer(
            link(0),
            &form(&[("q_useful", "3"), ("q_again", "no")]),
            today(),
        )
        .await
        .unwrap_err();
    assert_eq!(refused(again), "feedback-already_answered");
    let outside = s
        .answer(
            link(4),
            &form(&[("q_useful", "7"), ("q_again", "no")]),
            today(),
        )
        .await
        .unwrap_err();
    assert_eq!(refused(outside), "feedback-out_of_scale");
    let missing = s
        .answer(link(4), &form(&[("q_useful", "3")]), today())
        .await
        .unwrap_err();
    assert_eq!(refused(missing), "feedback-required");
    assert_eq!(s.wave_results(now).await.unwrap().sets, 4);
    assert!(!s.ballot(link(4)).await.unwrap().unwrap().answered);
    // After the wave closes, nothing is taken.
    let late = today().checked_add_days(Days::new(14)).unwrap();
    let closed = s
        .answer(
            link(5),
            &form(&[("q_useful", "3"), ("q_again", "no")]),
            late,
        )
        .await
        .unwrap_err();
    assert_eq!(refused(closed), "feedback-not_open");
    // The fifth answer, by a signed-in person: figures for the questions five answered.
    let fifth = Respondent::Person {
        wave: now,
        person: links[4].0,
    };
    s.answer(
        fifth,
        &form(&[
            ("q_useful", "3"),
            ("q_again", "no"),
            ("q_remarks", "More time for cases, please."),
        ]),
        today(),
    )
    .await
    .unwrap();
    let r = s.wave_results(now).await.unwrap();
    assert_eq!(r.sets, 5);
    assert_eq!(r.response_rate(), Some(5.0 / 6.0));
    let by = |k: &str| {
        r.questions
            .iter()
            .find(|q| q.key == k)
            .unwrap()
            .shown
            .clone()
    };
    let Shown::Figures(useful) = by("useful") else {
        panic!("five answers to a required question")
    };
    assert_eq!(useful.counts, vec![0, 1, 1, 2, 1]);
    assert_eq!((useful.mean, useful.median), (Some(3.6), Some(4.0)));
    let Shown::Figures(again) = by("again") else {
        panic!()
    };
    assert_eq!(again.counts, vec![4, 1]);
    assert_eq!(by("parts"), Shown::TooFew, "four chose parts");
    assert_eq!(by("remarks"), Shown::TooFew, "one text");
    // A text is the coordinator's to review before anyone sees it.
    let texts = s.texts(now).await.unwrap();
    assert_eq!(texts.len(), 1);
    assert_eq!(texts[0].review, TextReview::Pending);
    s.review_text(
        "coordinator",
        now,
        &texts[0].set_id,
        "remarks",
        TextReview::Published,
    )
    .await
    .unwrap();
    assert!(matches!(
        s.review_text(
            "coordinator",
            later,
            &texts[0].set_id,
            "remarks",
            TextReview::Hidden
        )
        .await,
        Err(StoreError::NotFound)
    ));
    assert_eq!(s.texts(now).await.unwrap()[0].review, TextReview::Published);
    // The later wave is not open yet.
    s.ask(later, &[links[0].0]).await.unwrap();
    let early = s
        .answer(
            Respondent::Person {
                wave: later,
                person: links[0].0,
            },
            &form(&[("q_useful", "3"), ("q_again", "no")]),
            today(),
        )
        .await
        .unwrap_err();
    assert_eq!(refused(early), "feedback-not_open");
}

#[tokio::test]
async fn a_questionnaire_asked_in_a_survey_changes_in_a_new_version() {
    let db = TestDb::new().await;
    let s = &db.store;
    let mut q = regional_group();
    let first = s
        .save_questionnaire("c", "after-session", &q)
        .await
        .unwrap();
    q.title.en = "After the session".into();
    let same = s
        .save_questionnaire("c", "after-session", &q)
        .await
        .unwrap();
    assert_eq!(first, same, "not asked yet: changed in place");
    s.create_survey(
        "c",
        NewSurvey {
            questionnaire_id: first,
            subject: (SubjectKind::Event, 3),
            title: "Gathering".into(),
            threshold: Threshold::DEFAULT,
            reminder_days: vec![],
            ended_on: today(),
            waves: vec![("Right after".into(), WavePlan::new(0, 7).unwrap())],
        },
    )
    .await
    .unwrap();
    q.sections[0].questions.pop();
    let second = s
        .save_questionnaire("c", "after-session", &q)
        .await
        .unwrap();
    assert_ne!(first, second);
    assert_eq!(
        s.questionnaire(first)
            .await
            .unwrap()
            .body
            .questions()
            .count(),
        4
    );
    assert_eq!(s.questionnaire(second).await.unwrap().version, 2);
    let latest = s.questionnaires().await.unwrap();
    assert_eq!((latest.len(), latest[0].id), (1, second));
    q.sections[0].questions[0].key = "Not a key".into();
    let e = s
        .save_questionnaire("c", "after-session", &q)
        .await
        .unwrap_err();
    assert_eq!(refused(e), "feedback-questionnaire");
}

/// The whole point: after several answers, neither the schema nor the stored rows link an
/// answer set to a person or a link — no shared column, no foreign key, no time, no
/// sequence, not even the order rows were written in.
#[tokio::test]
async fn nothing_links_an_answer_to_the_person_who_gave_it() {
    let db = TestDb::new().await;
    let s = &db.store;
    let (_, now, _, links) = survey(s).await;
    for (i, (_, token)) in links.iter().enumerate() {
        let point = ((i % 5) + 1).to_string();
        s.answer(
            Respondent::Link(token),
            &form(&[
                ("q_useful", &point),
                ("q_again", "yes"),
                ("q_remarks", "Good"),
            ]),
            today(),
        )
        .await
        .unwrap();
    }
    s.reorder_answers().await.unwrap();
    let c = s.conn();
    let backend = c.get_database_backend();
    let rows = |sql: &str| {
        let st = Statement::from_string(backend, sql.to_owned());
        async move { c.query_all(st).await.unwrap() }
    };
    // The columns of what was answered: none names a person, an account, a link or a time.
    let columns = |table: &str| {
        let sql = match backend {
            DbBackend::Sqlite => format!("SELECT name AS c FROM pragma_table_info('{table}')"),
            _ => format!(
                "SELECT column_name AS c FROM information_schema.columns WHERE table_name = '{table}'"
            ),
        };
        async move {
            let mut cs: Vec<String> = rows(&sql)
                .await
                .iter()
                .map(|r| r.try_get::<String>("", "c").unwrap())
                .collect();
            cs.sort();
            cs
        }
    };
    // The cohort is a session of at least the threshold's number of people asked (a
    // smaller one's sets carry none: `feedback_outreach.rs`).
    assert_eq!(columns("answer_sets").await, ["cohort", "id", "wave_id"]);
    assert_eq!(
        columns("answers").await,
        ["position", "question_key", "review", "set_id", "value"]
    );
    // Foreign keys: answers → answer sets → waves; the respondents point at no answer.
    let fks = |table: &str| {
        let sql = match backend {
            DbBackend::Sqlite => {
                format!("SELECT \"table\" AS t FROM pragma_foreign_key_list('{table}')")
            }
            _ => format!(
                "SELECT ccu.table_name AS t FROM information_schema.table_constraints tc \
                 JOIN information_schema.constraint_column_usage ccu \
                   ON tc.constraint_name = ccu.constraint_name \
                 WHERE tc.constraint_type = 'FOREIGN KEY' AND tc.table_name = '{table}'"
            ),
        };
        async move {
            let mut ts: Vec<String> = rows(&sql)
                .await
                .iter()
                .map(|r| r.try_get::<String>("", "t").unwrap())
                .collect();
            ts.sort();
            ts
        }
    };
    assert_eq!(fks("answer_sets").await, ["survey_waves"]);
    assert_eq!(fks("answers").await, ["answer_sets"]);
    assert_eq!(fks("survey_respondents").await, ["people", "survey_waves"]);
    assert!(!columns("survey_respondents")
        .await
        .iter()
        .any(|c| c.contains("set") || c.contains("_at") || c.contains("_on")));
    // The rows: random ids, read back in the order of those ids whatever order they were
    // written in; nothing in them equals a respondent's id, person or link.
    let ids: Vec<String> = rows("SELECT id FROM answer_sets")
        .await
        .iter()
        .map(|r| r.try_get::<String>("", "id").unwrap())
        .collect();
    assert_eq!(ids.len(), 6);
    assert!(ids
        .iter()
        .all(|i| i.len() == 32 && i.chars().all(|c| c.is_ascii_hexdigit())));
    let mut sorted = ids.clone();
    sorted.sort();
    assert_eq!(ids, sorted, "stored in the order of the random ids");
    let respondents = rows("SELECT id, person_id, token_hash FROM survey_respondents").await;
    for r in respondents {
        let id: i32 = r.try_get("", "id").unwrap();
        let person: i32 = r.try_get("", "person_id").unwrap();
        let hash: String = r.try_get("", "token_hash").unwrap();
        for i in &ids {
            assert!(*i != id.to_string() && *i != person.to_string() && !hash.contains(i.as_str()));
        }
    }
    // What an administrator may read: the sets by their random ids, no one named.
    let raw = s.answer_sets(now).await.unwrap();
    assert_eq!(raw.iter().map(|r| r.0.clone()).collect::<Vec<_>>(), sorted);
    if backend == DbBackend::Sqlite {
        let sql =
            rows("SELECT sql FROM sqlite_master WHERE name IN ('answer_sets', 'answers')").await;
        for r in sql {
            let text: String = r.try_get("", "sql").unwrap();
            assert!(text.ends_with("WITHOUT ROWID"), "{text}");
        }
    }
}
