//! Every refusal, input problem and typed value has its message, so nothing reaches a page
//! as a bare code or in English only (the completeness test in `ui::i18n` then checks
//! that every language has every English message).

use headway_domain::accounts::AccountRule;
use headway_domain::input::{CharKind, InputError, Problem};
use headway_domain::jobs::JobStatus;
use headway_domain::memberships::ContextRole;
use headway_domain::networks::{NetworkKind, OrgRole};
use headway_domain::refusal::{Arg, Refusal, Said};
use headway_domain::register::{
    ActivityKind, CycleStatus, DecisionKind, EnrolmentStatus, LeaderStatus, OfferStatus, Position,
    RuleError, Validation,
};
use headway_domain::rounds::{PopulationKind, ProfileAttribute, RoundMode, RoundRule, RoundStatus};
use headway_domain::Labelled;
use headway_web::ui::i18n::{I18n, Lang};

fn rule_errors() -> Vec<RuleError> {
    use RuleError as R;
    let all = vec![
        R::NotDecidable {
            status: LeaderStatus::Registered,
        },
        R::UnknownLevel {
            level: "x".into(),
            allowed: "a, b".into(),
        },
        R::RejectionNeedsReasons,
        R::ObjectionDecided,
        R::NotObjectable {
            status: LeaderStatus::Submitted,
        },
        R::ActivityNotPending,
        R::NoRegistration,
        R::NoDeferralAsked,
        R::Lapsed,
        R::NotEnoughPoints {
            points: 1.0,
            target: 2.0,
        },
        R::NoBoardLinked,
        R::Rejected,
        R::OfferNotAccredited,
        R::AlreadyEnrolled,
        R::NothingToConfirm,
    ];
    // A new variant fails to compile here until it is listed above.
    for e in &all {
        match e {
            R::NotDecidable { .. }
            | R::UnknownLevel { .. }
            | R::RejectionNeedsReasons
            | R::ObjectionDecided
            | R::NotObjectable { .. }
            | R::ActivityNotPending
            | R::NoRegistration
            | R::NoDeferralAsked
            | R::Lapsed
            | R::NotEnoughPoints { .. }
            | R::NoBoardLinked
            | R::Rejected
            | R::OfferNotAccredited
            | R::AlreadyEnrolled
            | R::NothingToConfirm => {}
        }
    }
    all
}

fn problems() -> Vec<Problem> {
    let s = || "x".to_owned();
    let mut all = vec![
        Problem::Required,
        Problem::TooLong { max: 1 },
        Problem::TooShort { min: 1 },
        Problem::Character {
            position: 1,
            code_point: 0,
            kind: CharKind::Control,
        },
        Problem::NotEmail,
        Problem::PathSeparator,
        Problem::NotANumber { value: s() },
        Problem::OutOfRange { min: 0.0, max: 1.0 },
        Problem::NotADate { value: s() },
        Problem::YearOutOfRange { min: 0, max: 1 },
        Problem::NotOneOf {
            value: s(),
            allowed: s(),
        },
        Problem::EndBeforeStart,
        Problem::InFuture,
        Problem::Repeated { value: s() },
        Problem::TooMany { max: 1 },
        Problem::NoSuchRecord,
        Problem::NotAProvider,
        Problem::FileType {
            name: s(),
            allowed: s(),
        },
        Problem::FileTooLarge { name: s(), max: 1 },
        Problem::ContentMismatch {
            name: s(),
            declared: s(),
        },
        Problem::CharNotAllowed {
            value: s(),
            allowed: s(),
        },
        Problem::NotATime { value: s() },
        Problem::UnknownTimeZone { value: s() },
        Problem::NoSuchLocalTime {
            value: s(),
            zone: s(),
        },
        Problem::Outside {
            value: s(),
            start: s(),
            end: s(),
        },
    ];
    for kind in [CharKind::Invisible, CharKind::Noncharacter] {
        all.push(Problem::Character {
            position: 1,
            code_point: 0,
            kind,
        });
    }
    for p in &all {
        match p {
            Problem::Required
            | Problem::TooLong { .. }
            | Problem::TooShort { .. }
            | Problem::Character { .. }
            | Problem::NotEmail
            | Problem::PathSeparator
            | Problem::NotANumber { .. }
            | Problem::OutOfRange { .. }
            | Problem::NotADate { .. }
            | Problem::YearOutOfRange { .. }
            | Problem::NotOneOf { .. }
            | Problem::EndBeforeStart
            | Problem::InFuture
            | Problem::Repeated { .. }
            | Problem::TooMany { .. }
            | Problem::NoSuchRecord
            | Problem::NotAProvider
            | Problem::FileType { .. }
            | Problem::FileTooLarge { .. }
            | Problem::ContentMismatch { .. }
            | Problem::CharNotAllowed { .. }
            | Problem::NotATime { .. }
            | Problem::UnknownTimeZone { .. }
            | Problem::NoSuchLocalTime { .. }
            | Problem::Outside { .. } => {}
        }
    }
    all
}

fn event_rules() -> Vec<headway_domain::events::participation::EventRule> {
    use headway_domain::events::participation::EventRule as R;
    let all = vec![
        R::RegistrationClosed {
            deadline: "x".into(),
        },
        R::EventCancelled,
        R::AlreadyRegistered,
        R::NotRegistered,
        R::CapacityBelowConfirmed {
            capacity: 1,
            confirmed: 2,
        },
        R::NoSuchAudience {
            audience: "x".into(),
        },
        R::Unreachable,
        R::NotStarted { starts: "x".into() },
        R::NotPending,
        R::Declined,
    ];
    for r in &all {
        match r {
            R::NotStarted { .. } => {}
            R::RegistrationClosed { .. }
            | R::EventCancelled
            | R::AlreadyRegistered
            | R::NotRegistered
            | R::CapacityBelowConfirmed { .. }
            | R::NoSuchAudience { .. }
            | R::Unreachable
            | R::NotPending
            | R::Declined => {}
        }
    }
    all
}

fn counselling_rules() -> Vec<headway_domain::events::counselling::CounsellingRule> {
    use headway_domain::events::counselling::CounsellingRule as R;
    let all = vec![
        R::NotAParticipant,
        R::OneSlotEach,
        R::SlotTaken,
        R::Overlap { slot: "x".into() },
        R::NotBooked,
    ];
    for r in &all {
        match r {
            R::NotAParticipant
            | R::OneSlotEach
            | R::SlotTaken
            | R::Overlap { .. }
            | R::NotBooked => {}
        }
    }
    all
}

fn round_rules() -> Vec<RoundRule> {
    use RoundRule as R;
    let all = vec![
        R::EmptyPopulation,
        R::BoundsUnmet {
            n: 1,
            min: 2,
            max: 3,
        },
        R::TooManyHosts {
            hosts: 2,
            groups: 1,
        },
        R::NotInPopulation { key: "p1".into() },
        R::TogetherTooLarge { size: 3, max: 2 },
        R::Unsolvable { detail: "x".into() },
        R::NotADraft {
            status: RoundStatus::Published,
        },
        R::NoSuchGroup { group: 3 },
        R::NoSuchCompetence { competence: 3 },
        R::NotPublished,
    ];
    // A variant added without its example here does not compile.
    for e in &all {
        match e {
            R::EmptyPopulation
            | R::BoundsUnmet { .. }
            | R::TooManyHosts { .. }
            | R::NotInPopulation { .. }
            | R::TogetherTooLarge { .. }
            | R::Unsolvable { .. }
            | R::NotADraft { .. }
            | R::NoSuchGroup { .. }
            | R::NoSuchCompetence { .. }
            | R::NotPublished => {}
        }
    }
    all
}

fn assert_said(i: &I18n, said: &Said) {
    assert!(i.has(Lang::En, &said.id), "no message `{}`", said.id);
    for (name, arg) in &said.args {
        if let Arg::Label(id) = arg {
            assert!(
                i.has(Lang::En, id),
                "`{}`: no label `{id}` for ${name}",
                said.id
            );
        }
    }
}

#[test]
fn every_refusal_and_input_problem_has_a_message() {
    let i = I18n::new();
    for e in rule_errors() {
        assert!(e.code().starts_with("register-"), "{}", e.code());
        assert_said(&i, &Said::of(&e));
    }
    assert_said(&i, &Said::of(&AccountRule::UsernameTaken("x".into())));
    for e in event_rules() {
        assert!(e.code().starts_with("events-"), "{}", e.code());
        assert_said(&i, &Said::of(&e));
    }
    for e in [
        headway_domain::events::invitations::InvitationRule::NoNetwork,
        headway_domain::events::invitations::InvitationRule::Closed,
    ] {
        assert!(e.code().starts_with("invitations-"), "{}", e.code());
        assert_said(&i, &Said::of(&e));
    }
    for e in counselling_rules() {
        assert!(e.code().starts_with("counselling-"), "{}", e.code());
        assert_said(&i, &Said::of(&e));
    }
    {
        use headway_domain::guidance::cases::{CaseRule as C, Party, Phase};
        // Every variant, so that a new one fails to compile here until it has its message.
        let all = [
            C::NotCurrentPhase {
                current: Phase::Mapping,
                asked: Phase::Goals,
            },
            C::OutputsMissing {
                phase: Phase::Area,
                missing: "x".into(),
            },
            C::AlreadySigned {
                party: Party::Owner,
            },
            C::PeriodTooLong { max: 30 },
            C::NotInvited,
            C::CaseRunning,
            C::Closed,
            C::NotAnAdvisor,
            C::NotCompetenceEnvironment,
        ];
        for e in all {
            match &e {
                C::NotCurrentPhase { .. }
                | C::OutputsMissing { .. }
                | C::AlreadySigned { .. }
                | C::PeriodTooLong { .. }
                | C::NotInvited
                | C::CaseRunning
                | C::Closed
                | C::NotAnAdvisor
                | C::NotCompetenceEnvironment => {}
            }
            assert!(e.code().starts_with("guidance-"), "{}", e.code());
            assert_said(&i, &Said::of(&e));
        }
    }
    {
        use headway_domain::feedback::{AnswerError, AnswerProblem as P, FeedbackRule as F};
        let answer = |problem| {
            F::Answer(AnswerError {
                question: "useful".into(),
                problem,
            })
        };
        let all = [
            F::AlreadyAnswered,
            F::NotOpen {
                status: headway_domain::feedback::WaveStatus::Closed,
            },
            F::Questionnaire {
                problem: "x".into(),
            },
            answer(P::Required),
            answer(P::OutOfScale { value: "7".into() }),
            answer(P::NoSuchChoice {
                value: "9".into(),
                choices: 3,
            }),
            answer(P::NotYesNo {
                value: "maybe".into(),
            }),
            answer(P::OneOnly),
            answer(P::NoSuchQuestion),
            answer(P::Text(Problem::Required)),
        ];
        for e in all {
            // Every problem of an answer, so that a new one fails to compile here.
            if let F::Answer(a) = &e {
                match a.problem {
                    P::Required
                    | P::OutOfScale { .. }
                    | P::NoSuchChoice { .. }
                    | P::NotYesNo { .. }
                    | P::OneOnly
                    | P::NoSuchQuestion
                    | P::Text(_) => {}
                }
            }
            assert!(e.code().starts_with("feedback-"), "{}", e.code());
            assert_said(&i, &Said::of(&e));
        }
    }
    for e in round_rules() {
        assert!(e.code().starts_with("rounds-"), "{}", e.code());
        assert_said(&i, &Said::of(&e));
    }
    for p in problems() {
        assert_said(&i, &Said::from(&InputError::new("field", p)));
    }
}

#[test]
fn every_typed_value_has_a_label() {
    let i = I18n::new();
    let mut ids: Vec<String> = Vec::new();
    ids.extend(Position::ALL.iter().map(Labelled::label_id));
    ids.extend(ActivityKind::ALL.iter().map(Labelled::label_id));
    ids.extend(OfferStatus::ALL.iter().map(Labelled::label_id));
    ids.extend(Validation::ALL.iter().map(Labelled::label_id));
    ids.extend(EnrolmentStatus::ALL.iter().map(Labelled::label_id));
    ids.extend(CycleStatus::ALL.iter().map(Labelled::label_id));
    ids.extend(LeaderStatus::ALL.iter().map(Labelled::label_id));
    ids.extend(DecisionKind::ALL.iter().map(Labelled::label_id));
    ids.extend(ContextRole::ALL.iter().map(Labelled::label_id));
    ids.extend(
        headway_domain::events::EventKind::ALL
            .iter()
            .map(Labelled::label_id),
    );
    ids.extend(
        headway_domain::events::agenda::ItemKind::ALL
            .iter()
            .map(Labelled::label_id),
    );
    ids.extend(NetworkKind::ALL.iter().map(Labelled::label_id));
    ids.extend(OrgRole::ALL.iter().map(Labelled::label_id));
    ids.extend(
        headway_domain::events::invitations::InviteTarget::ALL
            .iter()
            .map(Labelled::label_id),
    );
    ids.extend(
        headway_domain::events::invitations::Rsvp::ALL
            .iter()
            .map(Labelled::label_id),
    );
    ids.extend(RoundMode::ALL.iter().map(Labelled::label_id));
    ids.extend(PopulationKind::ALL.iter().map(Labelled::label_id));
    ids.extend(ProfileAttribute::ALL.iter().map(Labelled::label_id));
    ids.extend(RoundStatus::ALL.iter().map(Labelled::label_id));
    ids.extend(JobStatus::ALL.iter().map(Labelled::label_id));
    {
        use headway_domain::guidance::{assessment, indicators, suppression};
        ids.extend(indicators::Level::ALL.iter().map(Labelled::label_id));
        ids.extend(suppression::Hidden::ALL.iter().map(Labelled::label_id));
        ids.extend(
            suppression::Hidden::ALL
                .iter()
                .map(|h| format!("hidden-short-{}", h.code())),
        );
        ids.extend(assessment::Better::ALL.iter().map(Labelled::label_id));
        ids.extend(assessment::Category::ALL.iter().map(Labelled::label_id));
        use headway_domain::guidance::cases;
        ids.extend(cases::Decision::ALL.iter().map(Labelled::label_id));
        ids.extend(cases::Phase::ALL.iter().map(Labelled::label_id));
        ids.extend(cases::Output::ALL.iter().map(Labelled::label_id));
        ids.extend(cases::Party::ALL.iter().map(Labelled::label_id));
        ids.extend(cases::MeasureStatus::ALL.iter().map(Labelled::label_id));
        ids.extend(cases::SnapshotKind::ALL.iter().map(Labelled::label_id));
        use headway_domain::feedback;
        ids.extend(feedback::QuestionKind::ALL.iter().map(Labelled::label_id));
        ids.extend(feedback::SubjectKind::ALL.iter().map(Labelled::label_id));
        ids.extend(feedback::WaveStatus::ALL.iter().map(Labelled::label_id));
        ids.extend(feedback::TextReview::ALL.iter().map(Labelled::label_id));
        for d in indicators::INDICATORS {
            ids.push(format!("indicator-{}", d.code));
            ids.push(format!("unit-{}", d.unit));
        }
    }
    assert!(ids.len() > 30);
    for id in ids {
        assert!(i.has(Lang::En, &id), "no label `{id}`");
    }
}
