//! Decisions on owners and guidance cases: a case only for an invited owner, advisors and
//! the owner's contacts as memberships, a phase signed off by both parties once it has its
//! outputs; on the backend chosen by `HEADWAY_TEST_DATABASE_URL`.

use chrono::NaiveDate;
use headway_domain::accounts::{NewPassword, Role, Username};
use headway_domain::guidance::assessment::SchoolYear;
use headway_domain::guidance::cases::{Decision, Output, Party, Phase};
use headway_domain::input::Reason;
use headway_domain::language::Lang;
use headway_domain::mail::{Letter, Letters, Written};
use headway_domain::memberships::{ContextRole, Membership};
use headway_store::accounts::NewAccount;
use headway_store::guidance::{Cases, NewCase, NewDecision, Selection};
use headway_store::import::bundled::BUNDLED;
use headway_store::memberships::ContextRoles;
use headway_store::outbox::Outbox;
use headway_store::testing::TestDb;
use headway_store::{Store, StoreError};

struct Plain;

impl Letters for Plain {
    fn default_language(&self) -> Lang {
        Lang::En
    }

    fn write(&self, lang: Lang, letter: &Letter) -> Written {
        Written {
            subject: format!("{} {}", lang.code(), letter.kind()),
            body: format!("{letter:?}"),
        }
    }
}

fn refused(e: StoreError) -> &'static str {
    match e {
        StoreError::Refused(r) => r.code(),
        other => panic!("expected a refusal, got {other}"),
    }
}

async fn account(s: &Store, name: &str, role: Role, person: Option<i32>) -> i32 {
    s.create_account(
        "test",
        NewAccount {
            username: Username::parse(name).unwrap(),
            password: NewPassword::parse("a long enough password").unwrap(),
            role,
            display_name: name.into(),
            organization_id: None,
            person_id: person,
        },
    )
    .await
    .unwrap()
    .id
}

fn text(s: &str) -> Reason {
    Reason::parse("text", s).unwrap()
}

#[tokio::test]
async fn a_case_for_an_invited_owner_moves_on_when_both_sign_off_its_outputs() {
    let db = TestDb::new().await;
    let s = &db.store;
    let (d, path, bytes) = BUNDLED[3];
    s.import(d, path, bytes, &|_, _| {}).await.unwrap();
    let org = s.organization_id("no:kommune:3207").await.unwrap().unwrap();
    let person = {
        use headway_store::entities::person;
        use sea_orm::{ActiveModelTrait, Set};
        person::ActiveModel {
            given_name: Set("Ingrid".into()),
            family_name: Set("Berg".into()),
            email: Set(Some("ingrid@example.org".into())),
            search_key: Set("ingrid berg".into()),
            created_at: Set(headway_store::now()),
            ..Default::default()
        }
        .insert(s.conn())
        .await
        .unwrap()
        .id
    };
    let owner = account(s, "owner1", Role::Owner, Some(person)).await;
    s.grant_membership(
        "test",
        owner,
        Membership {
            role: ContextRole::Representative,
            context_id: org,
        },
    )
    .await
    .unwrap();
    let advisor = account(s, "advisor1", Role::Advisor, None).await;
    let leader = account(s, "leader1", Role::Leader, None).await;
    let year = SchoolYear::parse("year", "2025-26").unwrap();
    let case = |advisors: Vec<i32>, months| NewCase {
        organization_id: org,
        starts_on: NaiveDate::from_ymd_opt(2026, 8, 1).unwrap(),
        months,
        advisors,
        kindergarten: true,
    };
    assert_eq!(
        refused(
            s.open_case("c", case(vec![advisor], 30), 30)
                .await
                .unwrap_err()
        ),
        "guidance-not_invited"
    );
    let decided = s
        .decide_owner(
            "coordinator",
            NewDecision {
                year,
                organization_id: org,
                decision: Decision::Invite,
                rationale: text("The highest share of risk points in its county."),
                assessment: text("Reading in grade 5 has lagged three years running."),
            },
            &Plain,
        )
        .await
        .unwrap();
    assert_eq!(decided.decision, Decision::Invite);
    let mail = s.outbox(10).await.unwrap();
    assert_eq!(mail.len(), 1);
    assert_eq!(
        (mail[0].recipient.as_str(), mail[0].kind.as_str()),
        ("ingrid@example.org", "guidance_invite")
    );
    assert_eq!(
        refused(
            s.open_case("c", case(vec![advisor], 31), 30)
                .await
                .unwrap_err()
        ),
        "guidance-period_too_long"
    );
    assert_eq!(
        refused(
            s.open_case("c", case(vec![leader], 30), 30)
                .await
                .unwrap_err()
        ),
        "guidance-not_an_advisor"
    );
    let id = s.open_case("c", case(vec![advisor], 30), 30).await.unwrap();
    assert_eq!(
        refused(
            s.open_case("c", case(vec![advisor], 30), 30)
                .await
                .unwrap_err()
        ),
        "guidance-case_running"
    );
    let held = |a| async move { s.memberships_of(a).await.unwrap() };
    assert!(held(advisor).await.contains(&Membership {
        role: ContextRole::CaseAdvisor,
        context_id: id
    }));
    assert!(held(owner).await.contains(&Membership {
        role: ContextRole::CaseOwnerContact,
        context_id: id
    }));
    let c = s.case(id).await.unwrap();
    assert_eq!(
        (c.summary.phase, c.summary.ends_on.as_str()),
        (Phase::Mapping, "2029-02-01")
    );
    assert_eq!(c.advisors, [(advisor, "advisor1".to_owned())]);
    // The baseline snapshot was taken as the case opened; a follow-up adds another.
    {
        use headway_domain::guidance::cases::SnapshotKind;
        use headway_store::guidance::Evaluation;
        let shots = s.snapshots(id).await.unwrap();
        assert_eq!(
            shots.iter().map(|x| x.kind).collect::<Vec<_>>(),
            [SnapshotKind::Baseline]
        );
        s.follow_up("advisor1", id, NaiveDate::from_ymd_opt(2027, 8, 1).unwrap())
            .await
            .unwrap();
        let shots = s.snapshots(id).await.unwrap();
        assert_eq!(shots[1].kind, SnapshotKind::FollowUp);
        assert_eq!(shots[1].taken_on, "2027-08-01");
    }

    // Signed off only with its outputs, once by each party; outputs of a later phase wait.
    assert_eq!(
        refused(
            s.sign_off("advisor1", id, Party::Advisor, advisor)
                .await
                .unwrap_err()
        ),
        "guidance-outputs_missing"
    );
    assert_eq!(
        refused(
            s.record_output("advisor1", id, Output::PrioritisedGoals, text("x"))
                .await
                .unwrap_err()
        ),
        "guidance-not_current_phase"
    );
    s.record_output(
        "advisor1",
        id,
        Output::Analysis,
        text("Reading lags in grade 5."),
    )
    .await
    .unwrap();
    s.record_output(
        "owner1",
        id,
        Output::Schools,
        text("All six schools; kindergartens too."),
    )
    .await
    .unwrap();
    assert_eq!(
        s.sign_off("advisor1", id, Party::Advisor, advisor)
            .await
            .unwrap(),
        Phase::Mapping
    );
    assert_eq!(
        refused(
            s.sign_off("advisor1", id, Party::Advisor, advisor)
                .await
                .unwrap_err()
        ),
        "guidance-already_signed"
    );
    assert_eq!(
        s.sign_off("owner1", id, Party::Owner, owner).await.unwrap(),
        Phase::Anchoring
    );
    let c = s.case(id).await.unwrap();
    assert_eq!(c.outputs.len(), 2);
    assert_eq!(c.signoffs.len(), 2);
    assert_eq!(c.signoffs[1].by, "owner1");
    // Every step is in the audit log.
    let audit = s.recent_audit(50).await.unwrap();
    for action in [
        "guidance.decide",
        "guidance.case.open",
        "guidance.case.output",
        "guidance.case.signoff",
    ] {
        assert!(audit.iter().any(|e| e.action == action), "{action}");
    }
}

/// The demo's cases, and the work between phases: meetings, referrals only to competence
/// environments, goals in priority order with their measures, nothing once a case closes.
#[tokio::test]
async fn meetings_referrals_goals_and_measures_belong_to_an_open_case() {
    use headway_domain::guidance::cases::MeasureStatus;
    use headway_domain::input::Title;
    use headway_store::guidance::{CaseWork, NewMeeting};
    let db = TestDb::new().await;
    let s = &db.store;
    for (d, path, bytes) in &BUNDLED {
        s.import(*d, path, bytes, &|_, _| {}).await.unwrap();
    }
    s.seed_demo().await.unwrap();
    s.seed_guidance_demo().await.unwrap();
    // Seeding again adds nothing.
    s.seed_guidance_demo().await.unwrap();
    let cases = s.cases(None).await.unwrap();
    let phases: Vec<(String, Phase)> = cases.iter().map(|c| (c.owner.clone(), c.phase)).collect();
    assert_eq!(
        phases,
        [
            ("Ullensaker kommune".to_owned(), Phase::Measures),
            ("Lillestrøm kommune".to_owned(), Phase::Mapping),
            ("Nordre Follo kommune".to_owned(), Phase::Anchoring),
        ]
    );
    let ull = s.case(cases[0].id).await.unwrap();
    assert_eq!(ull.goals.len(), 2);
    assert_eq!(ull.goals[0].measures.len(), 2);
    assert_eq!(ull.goals[0].measures[0].status, MeasureStatus::Done);
    assert_eq!(ull.signoffs.len(), 8, "four phases, two parties each");
    let id = cases[1].id;
    let title = |t: &str| Title::parse("t", t).unwrap();
    let school = s.organization_id("no:kommune:3205").await.unwrap().unwrap();
    assert_eq!(
        refused(
            s.add_referral(
                "a",
                id,
                school,
                title("Reading"),
                NaiveDate::from_ymd_opt(2026, 9, 1).unwrap()
            )
            .await
            .unwrap_err()
        ),
        "guidance-not_competence_environment"
    );
    let env = s.competence_environments().await.unwrap();
    assert_eq!(env.len(), 7);
    s.add_referral(
        "a",
        id,
        env[0].0,
        title("Reading"),
        NaiveDate::from_ymd_opt(2026, 9, 1).unwrap(),
    )
    .await
    .unwrap();
    s.add_meeting(
        "a",
        id,
        NewMeeting {
            held_on: NaiveDate::from_ymd_opt(2026, 9, 2).unwrap(),
            participants: text("Kari Nordmann"),
            minutes: text("Started the mapping."),
        },
    )
    .await
    .unwrap();
    let g1 = s.add_goal("a", id, title("First")).await.unwrap();
    let g2 = s.add_goal("a", id, title("Second")).await.unwrap();
    let m = s
        .add_measure(
            "a",
            id,
            g2,
            title("A step"),
            title("Someone"),
            NaiveDate::from_ymd_opt(2027, 1, 1).unwrap(),
        )
        .await
        .unwrap();
    // Another case's goal is not this case's.
    let other = ull.goals[0].id;
    assert!(matches!(
        s.add_measure(
            "a",
            id,
            other,
            title("x"),
            title("y"),
            NaiveDate::from_ymd_opt(2027, 1, 1).unwrap()
        )
        .await,
        Err(StoreError::NotFound)
    ));
    assert!(matches!(
        s.set_measure_status("a", cases[0].id, m, MeasureStatus::Done)
            .await,
        Err(StoreError::NotFound)
    ));
    s.set_measure_status("a", id, m, MeasureStatus::Ongoing)
        .await
        .unwrap();
    let c = s.case(id).await.unwrap();
    let order: Vec<(i32, i32)> = c.goals.iter().map(|g| (g.id, g.priority)).collect();
    assert_eq!(order, [(g1, 1), (g2, 2)]);
    assert_eq!(c.goals[1].measures[0].status, MeasureStatus::Ongoing);
    assert_eq!((c.meetings.len(), c.referrals.len()), (1, 1));
}
