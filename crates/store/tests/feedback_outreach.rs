//! Reaching respondents: a programme's survey asks the participants of its groups' sessions
//! (each in the cohort of their session; absent ones not), the worker's step invites them
//! once through the outbox and reminds only those who have not answered (a fresh link each
//! time), and the groups are compared only where no group smaller than the threshold can
//! be read off — on the backend chosen by `HEADWAY_TEST_DATABASE_URL`.

mod events_support;

use chrono::NaiveDate;
use events_support::*;
use headway_domain::directory::Country;
use headway_domain::feedback::{
    Localized, Question, QuestionKind, Questionnaire, Section, Shown, SubjectKind, Threshold,
    WavePlan,
};
use headway_domain::networks::{NetworkKind, Period};
use headway_store::events::{Events, Registrations};
use headway_store::feedback::{
    Answering, FeedbackOutreach, FeedbackResults, NewSurvey, Participant, Questionnaires,
    Respondent, Surveys,
};
use headway_store::networks::{NetworkQuery, Networks, NewNetwork};
use headway_store::outbox::Outbox;
use headway_store::testing::TestDb;
use sea_orm::{ConnectionTrait, Statement};

fn d(s: &str) -> NaiveDate {
    s.parse().unwrap()
}

fn questionnaire() -> Questionnaire {
    let t = |s: &str| Localized::new(s, "", "", "");
    Questionnaire {
        title: t("After the group"),
        sections: vec![Section {
            title: t("Effects"),
            questions: vec![Question {
                key: "useful".into(),
                kind: QuestionKind::Scale,
                required: true,
                text: t("How useful was the group part?"),
                choices: vec![],
                low: None,
                high: None,
            }],
        }],
    }
}

async fn network(db: &TestDb, name: &str, parent: Option<i32>) -> i32 {
    db.store
        .create_network(
            "t",
            NewNetwork {
                kind: if parent.is_some() {
                    NetworkKind::RegionalGroup
                } else {
                    NetworkKind::Programme
                },
                name: name.into(),
                country: Country::Slovenia,
                programme_id: None,
                parent_id: parent,
                period: Period::new(d("2027-01-01"), None).unwrap(),
                description: String::new(),
            },
        )
        .await
        .unwrap()
}

/// A session of group `group` with `n` participants (the first `absent` marked absent).
async fn session(db: &TestDb, group: i32, n: usize, absent: usize) -> (i32, Vec<i32>) {
    let mut e = new_event(&format!("Session of group {group}"));
    e.network_id = Some(group);
    let id = db.store.create_event("t", e).await.unwrap();
    let who = people_named(db, &format!("r{group}x"), n).await;
    for p in &who {
        db.store.register("t", id, *p, "principals").await.unwrap();
    }
    begun(db, id).await;
    for p in who.iter().take(absent) {
        db.store.mark_attendance("t", id, *p, false).await.unwrap();
    }
    (id, who)
}

/// The personal link in the latest letter to `email`.
async fn link(db: &TestDb, email: &str) -> String {
    let all = db.store.outbox(10_000).await.unwrap();
    let m = all
        .iter()
        .filter(|m| m.recipient == email)
        .max_by_key(|m| m.id)
        .unwrap_or_else(|| panic!("no letter to {email}"));
    let at = m.body.find("/feedback/").expect("a link") + "/feedback/".len();
    m.body[at..at + 48].to_owned()
}

async fn email(db: &TestDb, person: i32) -> String {
    let row = db
        .store
        .conn()
        .query_one(Statement::from_string(
            db.store.conn().get_database_backend(),
            format!("SELECT email FROM people WHERE id = {person}"),
        ))
        .await
        .unwrap()
        .unwrap();
    row.try_get::<String>("", "email").unwrap()
}

fn scale(v: &str) -> Vec<(String, String)> {
    vec![("q_useful".into(), v.into())]
}

#[tokio::test]
async fn a_programme_asks_its_sessions_invites_once_reminds_non_respondents_and_compares_groups() {
    let db = TestDb::new().await;
    let s = &db.store;
    let pilot = network(&db, "Pilot", None).await;
    let g1 = network(&db, "Group 1", Some(pilot)).await;
    let g2 = network(&db, "Group 2", Some(pilot)).await;
    let g3 = network(&db, "Group 3", Some(pilot)).await;
    assert_eq!(s.networks(&NetworkQuery::default()).await.unwrap().len(), 4);
    // Group 1: seven registered, one absent; group 2: three; group 3: five.
    let (e1, p1) = session(&db, g1, 7, 1).await;
    let (e2, p2) = session(&db, g2, 3, 0).await;
    let (e3, p3) = session(&db, g3, 5, 0).await;
    let asked = s.participants(SubjectKind::Network, pilot).await.unwrap();
    assert_eq!(asked.len(), 6 + 3 + 5, "the absent one is not asked");
    assert!(!asked.iter().any(|p| p.person == p1[0]));
    assert!(asked.contains(&Participant {
        person: p2[0],
        cohort: Some(e2)
    }));
    assert_eq!(
        s.subject_ended(SubjectKind::Network, pilot).await.unwrap(),
        Some(d("2027-03-27"))
    );

    let q = s
        .save_questionnaire("coordinator", "after-group", &questionnaire())
        .await
        .unwrap();
    let survey = s
        .create_survey(
            "coordinator",
            NewSurvey {
                questionnaire_id: q,
                subject: (SubjectKind::Network, pilot),
                title: "Pilot 2027".into(),
                threshold: Threshold::DEFAULT,
                reminder_days: vec![7],
                ended_on: d("2027-03-27"),
                waves: vec![
                    ("Right after".into(), WavePlan::new(0, 14).unwrap()),
                    ("Three months later".into(), WavePlan::new(3, 14).unwrap()),
                ],
            },
        )
        .await
        .unwrap();
    let waves = s.survey(survey).await.unwrap().waves;
    let (now, later) = (waves[0].id, waves[1].id);

    // Before the wave opens nobody is asked.
    let before = s.feedback_tick(d("2027-03-26"), &Plain).await.unwrap();
    assert_eq!((before.asked, before.invitations), (0, 0));
    let first = s.feedback_tick(d("2027-03-28"), &Plain).await.unwrap();
    assert_eq!(
        (first.asked, first.invitations, first.reminders),
        (14, 14, 0)
    );
    let again = s.feedback_tick(d("2027-03-28"), &Plain).await.unwrap();
    assert_eq!((again.asked, again.invitations), (0, 0), "invited once");
    assert_eq!(s.survey_cohorts(survey).await.unwrap(), vec![e1, e2, e3]);

    // A person of the small group is warned: three asked in their group.
    let small = link(&db, &email(&db, p2[0]).await).await;
    let b = s.ballot(Respondent::Link(&small)).await.unwrap().unwrap();
    assert_eq!(b.asked, 3);

    let day = d("2027-03-29");
    for p in &p1[1..] {
        let l = link(&db, &email(&db, *p).await).await;
        s.answer(Respondent::Link(&l), &scale("4"), day)
            .await
            .unwrap();
    }
    for p in &p2[..2] {
        let l = link(&db, &email(&db, *p).await).await;
        s.answer(Respondent::Link(&l), &scale("2"), day)
            .await
            .unwrap();
    }
    // The small group's answer sets carry no group: too few were asked in it.
    let count = |sql: String| async move {
        let row = s
            .conn()
            .query_one(Statement::from_string(s.conn().get_database_backend(), sql))
            .await
            .unwrap()
            .unwrap();
        row.try_get_by_index::<i64>(0).unwrap()
    };
    assert_eq!(
        count(format!(
            "SELECT COUNT(*) FROM answer_sets WHERE cohort = {e2}"
        ))
        .await,
        0
    );
    assert_eq!(
        count(format!(
            "SELECT COUNT(*) FROM answer_sets WHERE cohort = {e1}"
        ))
        .await,
        6
    );

    // Group 1 alone shown would give away group 2's two answers (8 in all, less 6):
    // it is withheld too.
    let cohorts = s.cohort_results(now).await.unwrap();
    let of = |e: i32| cohorts.iter().find(|c| c.cohort == e).unwrap();
    assert_eq!((of(e1).asked, of(e1).answered), (6, 6));
    assert_eq!((of(e2).asked, of(e2).answered), (3, 2));
    assert_eq!(of(e1).results.questions[0].shown, Shown::TooFew);
    assert_eq!(of(e2).results.questions[0].shown, Shown::TooFew);
    let all = s.wave_results(now).await.unwrap();
    assert!(matches!(all.questions[0].shown, Shown::Figures(_)));

    // With group 3's five answers, withholding group 3 (the smaller shown) leaves seven
    // unshown: group 1 can be shown.
    for p in &p3 {
        let l = link(&db, &email(&db, *p).await).await;
        s.answer(Respondent::Link(&l), &scale("5"), day)
            .await
            .unwrap();
    }
    let cohorts = s.cohort_results(now).await.unwrap();
    let of = |e: i32| cohorts.iter().find(|c| c.cohort == e).unwrap();
    match &of(e1).results.questions[0].shown {
        Shown::Figures(d) => assert_eq!((d.answers, d.mean), (6, Some(4.0))),
        other => panic!("group 1 withheld: {other:?}"),
    }
    assert_eq!(of(e3).results.questions[0].shown, Shown::TooFew);
    assert_eq!(of(e2).results.questions[0].shown, Shown::TooFew);

    // On day 7 the one who has not answered is reminded, with a fresh link; the earlier
    // link stops working; nobody who answered is reminded, and nobody twice.
    let silent = email(&db, p2[2]).await;
    let old = link(&db, &silent).await;
    let remind = s.feedback_tick(d("2027-04-03"), &Plain).await.unwrap();
    assert_eq!((remind.asked, remind.reminders), (0, 1));
    let fresh = link(&db, &silent).await;
    assert_ne!(old, fresh);
    assert!(s.ballot(Respondent::Link(&old)).await.unwrap().is_none());
    assert!(s.ballot(Respondent::Link(&fresh)).await.unwrap().is_some());
    let twice = s.feedback_tick(d("2027-04-04"), &Plain).await.unwrap();
    assert_eq!(twice.reminders, 0);
    let letters = s.outbox(10_000).await.unwrap();
    let reminders: Vec<_> = letters
        .iter()
        .filter(|m| m.kind == "survey_reminder")
        .collect();
    assert_eq!(reminders.len(), 1);
    assert_eq!(reminders[0].recipient, silent);

    // The delayed wave asks the same people when it opens, three months on.
    let delayed = s.feedback_tick(d("2027-06-27"), &Plain).await.unwrap();
    assert_eq!(delayed.asked, 14);
    assert_eq!(
        s.asked_in(survey, p3[0]).await.unwrap(),
        vec![(now, true), (later, false)]
    );
}
