//! The demo's feedback: the Slovenian regional-group pilot's evaluation (seed 000 runs the
//! pilot to collect "feedback from the members on the effects of counselling in a group"),
//! asked right after the last session and three months later, with generated answers —
//! the principals of each group's schools took part, group 1 with only four, under the
//! threshold — and the evaluation of ØST's next gathering, its waves planned from the day
//! it ends. The answers are the demo's own, drawn from a fixed seed.

use super::{Answering, FeedbackResults, NewSurvey, Questionnaires, Respondent, Surveys};
use crate::events::entities::registration;
use crate::events::{EventQuery, Events};
use crate::feedback::outreach::{FeedbackOutreach, Participant};
use crate::networks::{NetworkQuery, Networks};
use crate::{Result, Store, StoreError};
use headway_domain::events::participation::RegStatus;
use headway_domain::feedback::{
    Localized, Question, QuestionKind, Questionnaire, Section, SubjectKind, TextReview, Threshold,
    WavePlan,
};
use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, QueryFilter, Set};

const ACTOR: &str = "system:demo";

fn l(en: &str, nl: &str, nb: &str, sl: &str) -> Localized {
    Localized::new(en, nl, nb, sl)
}

fn q(key: &str, kind: QuestionKind, required: bool, text: Localized) -> Question {
    Question {
        key: key.into(),
        kind,
        required,
        text,
        choices: vec![],
        low: None,
        high: None,
    }
}

fn scale(key: &str, text: Localized) -> Question {
    Question {
        low: Some(l(
            "not at all",
            "helemaal niet",
            "ikke i det hele tatt",
            "sploh ne",
        )),
        high: Some(l("very much", "heel erg", "i svært stor grad", "zelo")),
        ..q(key, QuestionKind::Scale, true, text)
    }
}

/// The regional groups' questionnaire: the two parts of a session, and changes in practice.
pub fn regional_group() -> Questionnaire {
    let mut parts = q(
        "used",
        QuestionKind::Multiple,
        false,
        l(
            "What of the session have you used in your work since?",
            "Wat van de bijeenkomst hebt u sindsdien in uw werk gebruikt?",
            "Hva fra samlingen har du brukt i arbeidet ditt siden?",
            "Kaj s srečanja ste od takrat uporabili pri svojem delu?",
        ),
    );
    parts.choices = vec![
        l(
            "Legal and theoretical foundations",
            "Juridische en theoretische uitgangspunten",
            "Juridisk og teoretisk grunnlag",
            "Teoretična in zakonodajna izhodišča",
        ),
        l(
            "Good practice of other principals",
            "Goede praktijken van andere schoolleiders",
            "God praksis fra andre rektorer",
            "Dobre prakse drugih ravnateljev",
        ),
        l(
            "The individual legal counselling",
            "Het individuele juridische advies",
            "Den individuelle juridiske veiledningen",
            "Individualno pravno svetovanje",
        ),
    ];
    Questionnaire {
        title: l(
            "Counselling in regional groups: effects",
            "Begeleiding in regionale groepen: effecten",
            "Veiledning i regionale grupper: effekter",
            "Svetovanje v regijskih aktivih: učinki",
        ),
        sections: vec![
            Section {
                title: l("The session", "De bijeenkomst", "Samlingen", "Srečanje"),
                questions: vec![
                    scale(
                        "group_part",
                        l(
                            "How useful was the group part for your work?",
                            "Hoe nuttig was het groepsdeel voor uw werk?",
                            "Hvor nyttig var gruppedelen for arbeidet ditt?",
                            "Kako koristen je bil skupinski del za vaše delo?",
                        ),
                    ),
                    scale(
                        "legal_part",
                        l(
                            "How useful was the individual legal counselling?",
                            "Hoe nuttig was het individuele juridische advies?",
                            "Hvor nyttig var den individuelle juridiske veiledningen?",
                            "Kako koristno je bilo individualno pravno svetovanje?",
                        ),
                    ),
                    parts,
                ],
            },
            Section {
                title: l(
                    "Changes in practice",
                    "Veranderingen in de praktijk",
                    "Endringer i praksis",
                    "Spremembe v praksi",
                ),
                questions: vec![
                    q(
                        "changed",
                        QuestionKind::YesNo,
                        true,
                        l(
                            "Have you changed how you lead your school because of it?",
                            "Hebt u daardoor iets veranderd in hoe u uw school leidt?",
                            "Har du endret hvordan du leder skolen din på grunn av det?",
                            "Ste zaradi tega spremenili, kako vodite svojo šolo?",
                        ),
                    ),
                    scale(
                        "confidence",
                        l(
                            "How confident are you with legal questions at your school?",
                            "Hoe zeker voelt u zich bij juridische vragen op uw school?",
                            "Hvor trygg er du på juridiske spørsmål ved skolen din?",
                            "Kako samozavestni ste pri pravnih vprašanjih na svoji šoli?",
                        ),
                    ),
                    q(
                        "remarks",
                        QuestionKind::Text,
                        false,
                        l(
                            "What would you change about the counselling?",
                            "Wat zou u aan de begeleiding veranderen?",
                            "Hva ville du endret ved veiledningen?",
                            "Kaj bi spremenili pri svetovanju?",
                        ),
                    ),
                ],
            },
        ],
    }
}

/// A gathering's evaluation (ØST's).
pub fn gathering() -> Questionnaire {
    Questionnaire {
        title: l(
            "Evaluation of the gathering",
            "Evaluatie van de bijeenkomst",
            "Evaluering av samlingen",
            "Vrednotenje srečanja",
        ),
        sections: vec![Section {
            title: l("The gathering", "De bijeenkomst", "Samlingen", "Srečanje"),
            questions: vec![
                scale(
                    "useful",
                    l(
                        "How useful was the gathering for your work?",
                        "Hoe nuttig was de bijeenkomst voor uw werk?",
                        "Hvor nyttig var samlingen for arbeidet ditt?",
                        "Kako koristno je bilo srečanje za vaše delo?",
                    ),
                ),
                q(
                    "recommend",
                    QuestionKind::YesNo,
                    true,
                    l(
                        "Would you recommend the next gathering to a colleague?",
                        "Zou u de volgende bijeenkomst aan een collega aanraden?",
                        "Vil du anbefale neste samling til en kollega?",
                        "Bi naslednje srečanje priporočili kolegu?",
                    ),
                ),
                q(
                    "remarks",
                    QuestionKind::Text,
                    false,
                    l(
                        "What should the next gathering take up?",
                        "Wat moet de volgende bijeenkomst behandelen?",
                        "Hva bør neste samling ta opp?",
                        "Kaj naj obravnava naslednje srečanje?",
                    ),
                ),
            ],
        }],
    }
}

const GIVEN: [&str; 10] = [
    "Mojca", "Andrej", "Tatjana", "Boštjan", "Irena", "Marko", "Nataša", "Gregor", "Darja", "Matej",
];
const FAMILY: [&str; 10] = [
    "Novak",
    "Horvat",
    "Kovačič",
    "Krajnc",
    "Zupančič",
    "Potočnik",
    "Mlakar",
    "Kos",
    "Vidmar",
    "Golob",
];

const REMARKS: [&str; 5] = [
    "Več časa za individualno svetovanje.",
    "Srečanja naj bodo dvakrat na leto.",
    "Primeri iz prakse so bili najbolj koristni.",
    "Gradivo bi želeli prejeti vnaprej.",
    "Več o delovnopravni zakonodaji.",
];

/// A fixed stream of numbers for the demo's answers.
struct Draw(u64);

impl Draw {
    fn next(&mut self, n: u64) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        (self.0 >> 33) % n
    }
}

impl Store {
    /// The feedback demo, after the events demo (it needs the regional sessions).
    pub async fn seed_feedback_demo(&self) -> Result<()> {
        let regional = self
            .save_questionnaire(ACTOR, "regional-group", &regional_group())
            .await?;
        let gathering_q = self
            .save_questionnaire(ACTOR, "gathering", &gathering())
            .await?;
        self.seed_pilot_evaluation(regional).await?;
        let events = self.events(&EventQuery::default()).await?;
        if let Some(next) = events
            .iter()
            .find(|e| e.title == crate::events::demo::OST_NEXT)
        {
            let ended = self
                .subject_ended(SubjectKind::Event, next.id)
                .await?
                .ok_or_else(|| StoreError::Internal("the gathering has no end".into()))?;
            self.create_survey(
                ACTOR,
                NewSurvey {
                    questionnaire_id: gathering_q,
                    subject: (SubjectKind::Event, next.id),
                    title: "Evaluering av samlingen i ØST".into(),
                    threshold: Threshold::DEFAULT,
                    reminder_days: vec![7],
                    ended_on: ended,
                    waves: vec![
                        ("Rett etter samlingen".into(), WavePlan::new(0, 14)?),
                        ("Etter seks måneder".into(), WavePlan::new(6, 21)?),
                    ],
                },
            )
            .await?;
        }
        Ok(())
    }

    /// The principals of each regional group's schools at its session (group 1: the demo
    /// leader and three more, under the threshold; every other group at least six, with
    /// deputies where a group has few schools).
    async fn fill_regional_sessions(&self) -> Result<()> {
        let today = chrono::Utc::now().date_naive().to_string();
        let sessions: Vec<_> = self
            .events(&EventQuery::default())
            .await?
            .into_iter()
            // The pilot's sessions, not the demo's upcoming one.
            .filter(|e| e.title.starts_with("Regijski aktiv ") && e.ends_local < today)
            .collect();
        let mut n = 0usize;
        for e in sessions {
            let Some((group, _)) = e.network else {
                continue;
            };
            let number = e.title.trim_start_matches("Regijski aktiv ");
            let first = number.starts_with("1:");
            let detail = self.network(group).await?;
            let taken: Vec<i32> = registration::Entity::find()
                .filter(registration::Column::EventId.eq(e.id))
                .all(&self.db)
                .await?
                .into_iter()
                .map(|r| r.person_id)
                .collect();
            let schools: Vec<i32> = detail
                .organizations
                .iter()
                .map(|o| o.organization.id)
                .collect();
            let wanted = if first { 4 } else { schools.len().max(6) };
            let mut people = Vec::new();
            let mut i = 0;
            while taken.len() + people.len() < wanted && !schools.is_empty() {
                let school = schools[i % schools.len()];
                let title = if i < schools.len() {
                    "director"
                } else {
                    "deputy_director"
                };
                // The demo leader's school in group 1 has its principal already.
                if first && i == 0 && !taken.is_empty() {
                    i += 1;
                    continue;
                }
                let (given, family) = (GIVEN[n % GIVEN.len()], FAMILY[(n * 3 + 1) % FAMILY.len()]);
                let email = format!("ravnatelj{}@demo.headway.invalid", n + 1);
                n += 1;
                let p = self
                    .add_person_with_position(
                        given,
                        family,
                        Some(&email),
                        school,
                        title,
                        "2015-09-01",
                    )
                    .await?;
                people.push(p);
                i += 1;
            }
            for p in people {
                let now = crate::now();
                registration::ActiveModel {
                    event_id: Set(e.id),
                    person_id: Set(p),
                    audience: Set("ravnatelji".into()),
                    status: Set(RegStatus::Confirmed.code().into()),
                    arrival: Set(1),
                    registered_at: Set(now.clone()),
                    changed_at: Set(now),
                    ..Default::default()
                }
                .insert(&self.db)
                .await?;
            }
        }
        Ok(())
    }

    async fn seed_pilot_evaluation(&self, questionnaire_id: i32) -> Result<()> {
        let Some(pilot) = self
            .networks(&NetworkQuery::default())
            .await?
            .into_iter()
            .find(|n| n.name == crate::networks::demo::SI_PILOT)
        else {
            return Ok(());
        };
        self.fill_regional_sessions().await?;
        // The pilot's last session (not the demo's upcoming one of group 1).
        let today = chrono::Utc::now().date_naive().to_string();
        let ended = self
            .events(&EventQuery::default())
            .await?
            .into_iter()
            .filter(|e| e.title.starts_with("Regijski aktiv ") && e.ends_local < today)
            .filter_map(|e| e.ends_local.get(..10)?.parse::<chrono::NaiveDate>().ok())
            .max()
            .ok_or_else(|| StoreError::Internal("the pilot has no sessions".into()))?;
        let id = self
            .create_survey(
                ACTOR,
                NewSurvey {
                    questionnaire_id,
                    subject: (SubjectKind::Network, pilot.id),
                    title: "Svetovanje v regijskih aktivih 2016/17: učinki".into(),
                    threshold: Threshold::DEFAULT,
                    reminder_days: vec![7],
                    ended_on: ended,
                    waves: vec![
                        ("Takoj po srečanju".into(), WavePlan::new(0, 14)?),
                        ("Po treh mesecih".into(), WavePlan::new(3, 21)?),
                    ],
                },
            )
            .await?;
        let survey = self.survey(id).await?;
        let people: Vec<Participant> = self.participants(SubjectKind::Network, pilot.id).await?;
        let leader = self
            .account_by_username("leader")
            .await?
            .and_then(|a| a.person_id);
        let mut draw = Draw(17);
        for (w, later) in survey.waves.iter().zip([false, true]) {
            let txn = self.begin_write().await?;
            Self::ask_in(&*txn, w.id, &people).await?;
            txn.commit().await?;
            let day = w.opens_on + chrono::Days::new(2);
            for p in &people {
                // The demo leader has not answered: her page offers the published summary.
                if Some(p.person) == leader || draw.next(100) < 15 {
                    continue;
                }
                let lean = u64::from(later);
                let point = |d: &mut Draw| (2 + lean + d.next(4)).min(5).to_string();
                let mut fields = vec![
                    ("q_group_part".to_owned(), point(&mut draw)),
                    ("q_legal_part".to_owned(), point(&mut draw)),
                    ("q_confidence".to_owned(), point(&mut draw)),
                    (
                        "q_changed".to_owned(),
                        if draw.next(10) < 4 + 3 * lean {
                            "yes"
                        } else {
                            "no"
                        }
                        .to_owned(),
                    ),
                ];
                for c in 1..=3 {
                    if draw.next(3) > 0 {
                        fields.push(("q_used".into(), c.to_string()));
                    }
                }
                if draw.next(3) == 0 {
                    let r = REMARKS[draw.next(REMARKS.len() as u64) as usize];
                    fields.push(("q_remarks".into(), r.into()));
                }
                let who = Respondent::Person {
                    wave: w.id,
                    person: p.person,
                };
                self.answer(who, &fields, day).await?;
            }
            // The coordinator published the written answers but one, still to review.
            let texts = self.texts(w.id).await?;
            for t in texts.iter().skip(1) {
                self.review_text(ACTOR, w.id, &t.set_id, &t.question, TextReview::Published)
                    .await?;
            }
        }
        self.seed_follow_up(questionnaire_id, pilot.id, &people, leader, &mut draw)
            .await
    }

    /// Years on, the school for principals asks the pilot's participants again what
    /// remained: a wave open now, half answered, the demo leader still to answer from her
    /// page.
    async fn seed_follow_up(
        &self,
        questionnaire_id: i32,
        pilot: i32,
        people: &[Participant],
        leader: Option<i32>,
        draw: &mut Draw,
    ) -> Result<()> {
        let today = chrono::Utc::now().date_naive();
        let id = self
            .create_survey(
                ACTOR,
                NewSurvey {
                    questionnaire_id,
                    subject: (SubjectKind::Network, pilot),
                    title: "Spremljava: kaj je ostalo od svetovanja v aktivih".into(),
                    threshold: Threshold::DEFAULT,
                    reminder_days: vec![7, 14],
                    ended_on: today - chrono::Days::new(3),
                    waves: vec![("Spremljava".into(), WavePlan::new(0, 30)?)],
                },
            )
            .await?;
        let wave = self.survey(id).await?.waves[0].id;
        let txn = self.begin_write().await?;
        Self::ask_in(&*txn, wave, people).await?;
        txn.commit().await?;
        for p in people {
            if Some(p.person) == leader || draw.next(2) == 0 {
                continue;
            }
            let point = |d: &mut Draw| (2 + d.next(4)).to_string();
            let fields = vec![
                ("q_group_part".to_owned(), point(draw)),
                ("q_legal_part".to_owned(), point(draw)),
                ("q_confidence".to_owned(), point(draw)),
                ("q_changed".to_owned(), "yes".to_owned()),
            ];
            let who = Respondent::Person {
                wave,
                person: p.person,
            };
            self.answer(who, &fields, today).await?;
        }
        Ok(())
    }
}
