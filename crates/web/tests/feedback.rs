//! Feedback in the web: a coordinator attaches a survey and the participants answer by
//! their personal links; figures wait for the threshold and free text for review; reused
//! links, answers outside the scale and missing answers are refused with nothing stored;
//! the demo pilot's report puts the waves side by side and suppresses its small group; a
//! signed-in participant answers from their page, warned that their group is small; the
//! questionnaire editor versions a template in use; and who sees what.

mod common;

use common::*;
use headway_domain::accounts::Role;
use headway_store::feedback::{FeedbackOutreach, FeedbackResults, Questionnaires};
use headway_store::outbox::Outbox;
use serde_json::Value;

async fn questionnaire(app: &TestApp, key: &str) -> i32 {
    app.db
        .store
        .questionnaires()
        .await
        .unwrap()
        .into_iter()
        .find(|q| q.key == key)
        .unwrap_or_else(|| panic!("no questionnaire {key}"))
        .id
}

/// The survey titled `title`.
async fn survey_titled(app: &TestApp, title: &str) -> headway_store::feedback::SurveyRow {
    app.db
        .store
        .all_surveys()
        .await
        .unwrap()
        .into_iter()
        .find(|s| s.title == title)
        .unwrap_or_else(|| panic!("no survey {title}"))
}

/// The results API's answer to `c` for survey `id`.
async fn results(app: &TestApp, c: &reqwest::Client, id: i32) -> Value {
    c.get(app.url(&format!("/api/v1/surveys/{id}/results")))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap()
}

fn today() -> String {
    chrono::Utc::now().date_naive().to_string()
}

/// The personal links in the survey invitations queued so far.
async fn links(app: &TestApp) -> Vec<String> {
    app.db
        .store
        .outbox_unsent(10_000)
        .await
        .unwrap()
        .into_iter()
        .filter(|m| m.kind == "survey_invitation")
        .map(|m| {
            let at = m.body.find("/feedback/").expect("a link");
            m.body[at..].split_whitespace().next().unwrap().to_owned()
        })
        .collect()
}

/// Posts the answer form at `path` (an anonymous respondent); returns status and body.
async fn answer(app: &TestApp, path: &str, fields: &[(&str, &str)]) -> (u16, String) {
    let c = app.client();
    // An answered or unknown link's page has no form: the session's token from elsewhere.
    let token = match csrf_of(&app.html(&c, path).await) {
        Some(t) => t,
        None => app.csrf(&c, "/login").await,
    };
    let mut f = fields.to_vec();
    f.push(("_csrf", &token));
    let r = c.post(app.url(path)).form(&f).send().await.unwrap();
    (r.status().as_u16(), r.text().await.unwrap())
}

#[tokio::test]
async fn a_coordinator_asks_a_gathering_and_figures_wait_for_the_threshold_and_the_review() {
    let app = TestApp::spawn(Seed::Demo).await;
    let event = event_titled(&app, headway_store::events::demo::OST_NEXT).await;
    let coord = app.client();
    app.login(&coord, "coordinator").await;
    let new = app.html(&coord, "/feedback/surveys/new").await;
    assert!(
        new.contains(&format!("value=\"event:{event}\"")),
        "the gathering is offered"
    );
    let q = questionnaire(&app, "gathering").await;
    let before = links(&app).await.len();
    let token = app.csrf(&coord, "/feedback/surveys/new").await;
    let r = coord
        .post(app.url("/feedback/surveys"))
        .form(&[
            ("subject", format!("event:{event}").as_str()),
            ("questionnaire", &q.to_string()),
            ("title", "ØST gathering: right after"),
            ("ended_on", &today()),
            ("immediate", "1"),
            ("delayed", "3"),
            ("open_days", "14"),
            ("reminder_days", "7"),
            ("threshold", "5"),
            ("_csrf", &token),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 303);
    let page = r.headers()["location"].to_str().unwrap().to_owned();
    let id: i32 = page.rsplit('/').next().unwrap().parse().unwrap();
    let invited = links(&app).await;
    assert_eq!(
        invited.len() - before,
        20,
        "the twenty confirmed principals, not the waiting"
    );
    assert_eq!(
        app.db.store.survey_cohorts(id).await.unwrap(),
        vec![event],
        "asked about the gathering they took part in"
    );

    let report = app.html(&coord, &page).await;
    assert!(report.contains("Too few answers to show."), "{report}");
    let mut mine = invited[before..].to_vec();
    let good = |v: &'static str| vec![("q_useful", v), ("q_recommend", "yes")];
    let remarks = [
        "Mer om skoleeierrollen, takk.",
        "Bra samling.",
        "Mer tid til gruppearbeid.",
        "Gode innlegg.",
        "Kortere pauser.",
    ];
    for (i, l) in mine.drain(..4).enumerate() {
        let mut f = good(["3", "4", "5", "4"][i]);
        f.push(("q_remarks", remarks[i]));
        assert_eq!(answer(&app, &l, &f).await.0, 303);
    }
    assert!(app
        .html(&coord, &page)
        .await
        .contains("Too few answers to show."));

    // Refusals name the problem and store nothing.
    let fifth = mine.remove(0);
    let (status, body) = answer(&app, &fifth, &[("q_useful", "7"), ("q_recommend", "yes")]).await;
    assert_eq!(status, 400);
    assert!(body.contains("7 is not a point from 1 to 5"), "{body}");
    assert!(
        body.contains("aria-describedby=\"err-useful\""),
        "marked at its question"
    );
    let (status, body) = answer(&app, &fifth, &[("q_useful", "4")]).await;
    assert_eq!(status, 400);
    assert!(body.contains("needs an answer"), "{body}");
    let api: Value = results(&app, &coord, id).await;
    assert_eq!(
        api["waves"][0]["answer_sets"], 4,
        "nothing of a refused form"
    );
    assert_eq!(api["waves"][0]["questions"][0]["shown"], "too_few");

    let mut last = good("2");
    last.push(("q_remarks", remarks[4]));
    assert_eq!(answer(&app, &fifth, &last).await.0, 303);
    let (status, body) = answer(&app, &fifth, &good("5")).await;
    assert_eq!(status, 409, "a link answers once");
    assert!(body.contains("already been answered"));
    let (status, body) = answer(&app, "/feedback/0123456789abcdef", &good("5")).await;
    assert_eq!(status, 404);
    assert!(!body.contains("Send my answers"));

    let report = app.html(&coord, &page).await;
    assert!(
        report.contains("<svg class=\"bars\""),
        "bars once five answered"
    );
    assert!(report.contains("5 answers"));
    let api: Value = results(&app, &coord, id).await;
    let useful = &api["waves"][0]["questions"][0];
    assert_eq!(useful["shown"], "figures");
    assert_eq!(useful["counts"], serde_json::json!([0, 1, 1, 2, 1]));
    assert_eq!(useful["mean"], 3.6);
    let written = &api["waves"][0]["questions"][2];
    assert_eq!(written["texts"], serde_json::json!([]), "not before review");
    assert!(
        report.contains("Mer om skoleeierrollen"),
        "the coordinator reviews it"
    );

    let wave_id = api["waves"][0]["id"].as_i64().unwrap() as i32;
    let texts = app.db.store.texts(wave_id).await.unwrap();
    assert_eq!(texts.len(), 5);
    let first = texts.iter().find(|t| t.text == remarks[0]).unwrap();
    let status = post_form(
        &app,
        &coord,
        &page,
        &format!("/feedback/surveys/{id}/texts"),
        &[
            ("wave", &wave_id.to_string()),
            ("set", &first.set_id),
            ("question", "remarks"),
            ("review", "published"),
        ],
    )
    .await;
    assert_eq!(status, 303);
    let api: Value = results(&app, &coord, id).await;
    assert_eq!(
        api["waves"][0]["questions"][2]["texts"],
        serde_json::json!(["Mer om skoleeierrollen, takk."])
    );

    // Exports: aggregates for whoever sees the report, raw sets for administrators only.
    let csv = app
        .html(&coord, &format!("/feedback/surveys/{id}/results.csv"))
        .await;
    assert!(csv.starts_with("wave,group,question,"), "{csv}");
    assert!(csv.contains(",useful,"));
    let xlsx = coord
        .get(app.url(&format!("/feedback/surveys/{id}/results.xlsx")))
        .send()
        .await
        .unwrap()
        .bytes()
        .await
        .unwrap();
    assert!(xlsx.starts_with(b"PK"), "a zip");
    let raw = format!("/feedback/surveys/{id}/sets.csv");
    assert_eq!(status_of(&coord, app.url(&raw)).await, 403);
    let admin = app.client();
    app.login(&admin, "admin").await;
    let sets = app.html(&admin, &raw).await;
    assert_eq!(sets.lines().count(), 1 + 5 * 3, "three answers each");
    assert!(
        !sets.contains('@') && !sets.contains("Hansen"),
        "no one named"
    );

    // Who sees what: not signed in, not related.
    let anon = app.client();
    let api = format!("/api/v1/surveys/{id}/results");
    assert_eq!(status_of(&anon, app.url(&api)).await, 401);
    let other = app.client();
    new_account(&app, "stranger", Role::Leader, None).await;
    app.login(&other, "stranger").await;
    assert_eq!(status_of(&other, app.url(&api)).await, 403);
    assert_eq!(status_of(&other, app.url(&page)).await, 403);
}

async fn status_of(c: &reqwest::Client, url: String) -> u16 {
    status(c, url).await
}

#[tokio::test]
async fn the_pilot_s_waves_stand_side_by_side_and_its_small_group_is_suppressed() {
    let app = TestApp::spawn(Seed::Demo).await;
    let s = survey_titled(&app, "Svetovanje v regijskih aktivih 2016/17: učinki").await;
    let coord = app.client();
    app.login(&coord, "coordinator").await;
    let page = app
        .html(&coord, &format!("/feedback/surveys/{}", s.id))
        .await;
    let (now, later) = (page.find("Takoj po srečanju"), page.find("Po treh mesecih"));
    assert!(now.is_some() && later.is_some(), "{page}");
    assert!(page.contains("Groups compared: Takoj po srečanju"));
    let group1 = page.find("Regijski aktiv 1:").expect("group 1 listed");
    let row = &page[group1..group1 + 400];
    assert!(row.contains("suppressed: too few answers"), "{row}");
    assert!(page.contains("Review of written answers"));
    let results = app.db.store.cohort_results(s.waves[0].id).await.unwrap();
    assert_eq!(results.len(), 10, "ten regional groups");
    let small = results
        .iter()
        .find(|c| c.asked == 4)
        .expect("group 1, four asked");
    assert!(small.answered < 5);
    // The demo leader was asked, has not answered, and reads the published summary.
    let leader = app.client();
    app.login(&leader, "leader").await;
    let mine = app.html(&leader, "/feedback").await;
    assert!(
        mine.contains(&s.title) && mine.contains("not answered"),
        "{mine}"
    );
    let summary = app
        .html(&leader, &format!("/feedback/surveys/{}", s.id))
        .await;
    assert!(summary.contains("Results, wave beside wave"));
    assert!(
        !summary.contains("Review of written answers"),
        "the review is the coordinator's"
    );
}

#[tokio::test]
async fn a_signed_in_participant_answers_from_their_page_warned_that_the_group_is_small() {
    let app = TestApp::spawn(Seed::Demo).await;
    let pilot = app
        .db
        .store
        .all_surveys()
        .await
        .unwrap()
        .into_iter()
        .find(|s| s.title.starts_with("Svetovanje"))
        .unwrap()
        .subject
        .1;
    let coord = app.client();
    app.login(&coord, "coordinator").await;
    let q = questionnaire(&app, "regional-group").await;
    let status = post_form(
        &app,
        &coord,
        "/feedback/surveys/new",
        "/feedback/surveys",
        &[
            ("subject", &format!("network:{pilot}")),
            ("questionnaire", &q.to_string()),
            ("title", "Pilot, asked again"),
            ("ended_on", &today()),
            ("immediate", "1"),
            ("delayed", ""),
            ("open_days", "14"),
            ("reminder_days", ""),
            ("threshold", "5"),
        ],
    )
    .await;
    assert_eq!(status, 303);
    let s = survey_titled(&app, "Pilot, asked again").await;
    let leader = app.client();
    app.login(&leader, "leader").await;
    let wave = format!("/feedback/waves/{}", s.waves[0].id);
    assert!(app.html(&leader, "/feedback").await.contains(&wave));
    let form = app.html(&leader, &wave).await;
    assert!(
        form.contains("Only 4 people were asked in your group"),
        "{form}"
    );
    let status = post_form(
        &app,
        &leader,
        &wave,
        &wave,
        &[
            ("q_group_part", "4"),
            ("q_legal_part", "5"),
            ("q_confidence", "4"),
            ("q_changed", "yes"),
            ("q_used", "1"),
            ("q_used", "3"),
        ],
    )
    .await;
    assert_eq!(status, 303);
    let thanks = app.html(&leader, &format!("{wave}?sent=1")).await;
    assert!(thanks.contains("your answers are stored"), "{thanks}");
    let later = app.html(&leader, &wave).await;
    assert!(later.contains("already been answered") && !later.contains("Send my answers"));
    let r = app.db.store.wave_results(s.waves[0].id).await.unwrap();
    assert_eq!(r.sets, 1);
}

#[tokio::test]
async fn the_questionnaire_editor_versions_a_template_in_use() {
    let app = TestApp::spawn(Seed::Small).await;
    new_account(&app, "agency", Role::Coordinator, None).await;
    let c = app.client();
    app.login(&c, "agency").await;
    let list = "/feedback/questionnaires";
    let base = [
        ("template", "after-visit"),
        ("title_en", "After the observation visit"),
        ("title_sl", "Po hospitaciji"),
        ("section", "new"),
        ("section_en", "The visit"),
        ("key", "useful"),
        ("kind", "scale"),
        ("required", "1"),
        ("text_en", "How useful was the feedback conversation?"),
        ("low_en", "not at all"),
        ("high_en", "very"),
    ];
    assert_eq!(post_form(&app, &c, list, list, &base).await, 303);
    let q = questionnaire(&app, "after-visit").await;
    let page = format!("/feedback/questionnaires/{q}");
    // One choice is no choice: refused, the form kept, nothing saved.
    let token = app.csrf(&c, &page).await;
    let r = c
        .post(app.url(&format!("{page}/questions")))
        .form(&[
            ("section", "1"),
            ("key", "format"),
            ("kind", "single"),
            ("text_en", "Which format?"),
            ("choices_en", "in person"),
            ("_csrf", &token),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 400);
    let body = r.text().await.unwrap();
    assert!(body.contains("from 2 to 12 choices"), "{body}");
    assert!(
        body.contains("Which format?"),
        "the form keeps what was written"
    );
    let add = [
        ("section", "1"),
        ("key", "format"),
        ("kind", "single"),
        ("text_en", "Which format?"),
        ("choices_en", "in person\nonline"),
        ("choices_sl", "v živo\nna daljavo"),
    ];
    assert_eq!(
        post_form(&app, &c, &page, &format!("{page}/questions"), &add).await,
        303
    );
    let row = app.db.store.questionnaire(q).await.unwrap();
    assert_eq!(
        (row.version, row.body.questions().count()),
        (1, 2),
        "changed in place"
    );
    // Once a survey asks it, a change is a new version.
    use headway_domain::feedback::{SubjectKind, Threshold, WavePlan};
    use headway_store::feedback::{NewSurvey, Surveys};
    app.db
        .store
        .create_survey(
            "t",
            NewSurvey {
                questionnaire_id: q,
                subject: (SubjectKind::Event, 1),
                title: "Visits".into(),
                threshold: Threshold::DEFAULT,
                reminder_days: vec![],
                ended_on: chrono::NaiveDate::from_ymd_opt(2026, 1, 1).unwrap(),
                waves: vec![("Now".into(), WavePlan::new(0, 7).unwrap())],
            },
        )
        .await
        .unwrap();
    let token = app.csrf(&c, &page).await;
    let r = c
        .post(app.url(&format!("{page}/questions/format/remove")))
        .form(&[("_csrf", &token)])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 303);
    let next = r.headers()["location"].to_str().unwrap().to_owned();
    assert_ne!(next, page, "a new version");
    let v2 = app
        .db
        .store
        .questionnaire(questionnaire(&app, "after-visit").await)
        .await
        .unwrap();
    assert_eq!((v2.version, v2.body.questions().count()), (2, 1));
    assert_eq!(
        app.db
            .store
            .questionnaire(q)
            .await
            .unwrap()
            .body
            .questions()
            .count(),
        2
    );
    assert!(app
        .html(&c, &page)
        .await
        .contains("This is not the latest version."));
    // A leader designs no questionnaires.
    new_account(&app, "someone", Role::Leader, None).await;
    let l = app.client();
    app.login(&l, "someone").await;
    assert_eq!(status(&l, app.url(list)).await, 403);
}
