//! The guidance demo: Norway's competence environments (universities, university colleges
//! and the national centres that support schools), the directorate's decisions of 2025-26 on
//! three municipalities of Follo and Romerike, and their cases in three phases with the demo
//! advisor, Kari Nordmann: Nordre Follo (whose representative is the demo's `ost-owner`) in
//! anchoring, Lillestrøm just opened in mapping, Ullensaker (`ullensaker-owner`) at its
//! measures with one overdue. The texts are the demo's own.

use super::entities::{decision, output, signoff};
use super::{CaseWork, Cases, NewCase, NewMeeting};
use crate::accounts::NewAccount;
use crate::demo::{DemoLogin, DEMO_PASSWORD};
use crate::entities::organization;
use crate::{Result, Store};
use chrono::NaiveDate;
use headway_domain::accounts::{NewPassword, Role, Username};
use headway_domain::directory::{Country, OrgKind};
use headway_domain::guidance::cases::{Decision, MeasureStatus, Output, Party, Phase, MAX_MONTHS};
use headway_domain::input::{Reason, Title};
use sea_orm::sea_query::Expr;
use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter, Set};

/// Norway's competence environments a case may refer an owner to.
pub const COMPETENCE_ENVIRONMENTS: [(&str, &str); 7] = [
    ("uio", "Universitetet i Oslo"),
    ("oslomet", "OsloMet – storbyuniversitetet"),
    ("usn", "Universitetet i Sørøst-Norge"),
    ("inn", "Høgskolen i Innlandet"),
    (
        "ntnu",
        "NTNU – Norges teknisk-naturvitenskapelige universitet",
    ),
    ("lesesenteret", "Lesesenteret, Universitetet i Stavanger"),
    ("matematikksenteret", "Matematikksenteret, NTNU"),
];

fn d(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap_or_default()
}

fn text(s: &str) -> Result<Reason> {
    Ok(Reason::parse("text", s)?)
}

fn title(s: &str) -> Result<Title> {
    Ok(Title::parse("title", s)?)
}

impl Store {
    /// Adds the competence environments (once); returns their ids by key.
    pub async fn seed_competence_environments(&self) -> Result<Vec<(String, i32)>> {
        let mut out = Vec::new();
        for (key, name) in COMPETENCE_ENVIRONMENTS {
            let ext = format!("demo:no:competence:{key}");
            let id = match self.organization_id(&ext).await? {
                Some(id) => id,
                None => {
                    organization::ActiveModel {
                        external_id: Set(ext),
                        country: Set(Country::Norway.code().to_owned()),
                        kind: Set(OrgKind::Provider.code().to_owned()),
                        name: Set(name.to_owned()),
                        search_key: Set(headway_domain::text::fold(name)),
                        updated_at: Set(crate::now()),
                        ..Default::default()
                    }
                    .insert(self.conn())
                    .await?
                    .id
                }
            };
            out.push((key.to_owned(), id));
        }
        Ok(out)
    }

    /// The guidance demo; needs the bundled directory and the demo accounts. Runs once.
    pub async fn seed_guidance_demo(&self) -> Result<Vec<DemoLogin>> {
        let envs = self.seed_competence_environments().await?;
        let env = |k: &str| envs.iter().find(|e| e.0 == k).map_or(0, |e| e.1);
        let owner_login = DemoLogin {
            username: "ullensaker-owner".into(),
            role: Role::Owner,
            what: "Siri Holm".into(),
        };
        if super::entities::case::Entity::find()
            .count(self.conn())
            .await?
            > 0
        {
            return Ok(vec![owner_login]);
        }
        let (Some(advisor), Some(follo_owner)) = (
            self.account_by_username("advisor").await?,
            self.account_by_username("ost-owner").await?,
        ) else {
            return Ok(vec![]);
        };
        let org =
            |k: &'static str| async move { self.organization_id(&format!("no:kommune:{k}")).await };
        let (Some(follo), Some(lillestrom), Some(ullensaker)) =
            (org("3207").await?, org("3205").await?, org("3209").await?)
        else {
            return Ok(vec![]);
        };
        let person = self
            .add_person_with_position(
                "Siri",
                "Holm",
                Some("ullensaker-owner@demo.headway.invalid"),
                ullensaker,
                "board_representative",
                "2022-08-01",
            )
            .await?;
        let u_owner = self
            .create_account(
                "system:demo",
                NewAccount {
                    username: Username::parse("ullensaker-owner")?,
                    password: NewPassword::parse(DEMO_PASSWORD)?,
                    role: Role::Owner,
                    display_name: "Siri Holm".into(),
                    organization_id: Some(ullensaker),
                    person_id: Some(person),
                },
            )
            .await?;
        for (o, why) in [
            (follo, "Among the highest shares of risk points in Akershus over three years, reading in grade 5 below the national mean each year."),
            (lillestrom, "A wide spread between its schools, one of them among the quarter of schools with the highest shares."),
            (ullensaker, "Numeracy in grade 8 below the national mean three years running; the county governor recommends guidance."),
        ] {
            decision::ActiveModel {
                school_year: Set(2025),
                organization_id: Set(o),
                decision: Set(Decision::Invite.code().to_owned()),
                rationale: Set(why.to_owned()),
                assessment: Set("The indicators, the county governor's dialogue with the owner and the owner's own analysis agree that systematic quality work would help.".into()),
                decided_by: Set("coordinator".into()),
                decided_at: Set("2025-11-14T09:00:00.000000Z".into()),
                ..Default::default()
            }
            .insert(self.conn())
            .await?;
        }
        let open = |o: i32, starts: &str| NewCase {
            organization_id: o,
            starts_on: d(starts),
            months: MAX_MONTHS,
            advisors: vec![advisor.id],
            kindergarten: true,
        };
        let a = "advisor";
        // Nordre Follo: mapping done, now anchoring.
        let c1 = self
            .open_case("coordinator", open(follo, "2026-01-05"), MAX_MONTHS)
            .await?;
        self.record_output(a, c1, Output::Analysis, text("Reading in grade 5 has been below the national mean for three years at four of the eleven schools; the pupil survey shows less support from teachers in grade 7.")?).await?;
        self.record_output("ost-owner", c1, Output::Schools, text("All eleven schools take part; the kindergartens join the work on the transition to school.")?).await?;
        self.sign_off(a, c1, Party::Advisor, advisor.id).await?;
        self.sign_off("ost-owner", c1, Party::Owner, follo_owner.id)
            .await?;
        self.add_meeting(a, c1, NewMeeting {
            held_on: d("2026-02-10"),
            participants: text("Kari Nordmann (advisor), Ingrid Berg (head of education), the eleven principals")?,
            minutes: text("Went through the indicators and the owner's own data; agreed to anchor the work in the municipal council in March.")?,
        }).await?;
        self.add_referral(
            a,
            c1,
            env("lesesenteret"),
            title("Reading instruction in grades 1–7")?,
            d("2026-02-10"),
        )
        .await?;
        // Lillestrøm: just opened.
        let c2 = self
            .open_case("coordinator", open(lillestrom, "2026-09-01"), MAX_MONTHS)
            .await?;
        self.record_output(
            a,
            c2,
            Output::Analysis,
            text("First draft: the spread between schools is widest in numeracy, grade 8.")?,
        )
        .await?;
        // Ullensaker: at its measures.
        let c3 = self
            .open_case("coordinator", open(ullensaker, "2025-09-01"), MAX_MONTHS)
            .await?;
        let steps: [&[(Output, &str)]; 4] = [
            &[
                (Output::Analysis, "Numeracy in grade 8 lags; lower-secondary points are close to the national mean."),
                (Output::Schools, "All nine schools; the transition from kindergarten is included."),
            ],
            &[
                (Output::OwnerDecision, "The municipal council decided on 12 November 2025 to take part."),
                (Output::Agreement, "Monthly meetings of the advisor, the head of education and the principals."),
            ],
            &[(Output::DevelopmentArea, "Numeracy as a basic skill in every subject.")],
            &[(Output::PrioritisedGoals, "1. More pupils above mastery level 2 in numeracy, grade 8. 2. Shared practice for assessment in mathematics.")],
        ];
        for outputs in steps {
            for (o, t) in outputs {
                self.record_output(a, c3, *o, text(t)?).await?;
            }
            self.sign_off(a, c3, Party::Advisor, advisor.id).await?;
            self.sign_off("ullensaker-owner", c3, Party::Owner, u_owner.id)
                .await?;
        }
        // Its first year as it went, so that the report of that year has something in it.
        self.backdate(
            c3,
            &[
                (Phase::Mapping, "2025-10-06"),
                (Phase::Anchoring, "2025-11-13"),
                (Phase::Area, "2026-01-15"),
                (Phase::Goals, "2026-03-10"),
            ],
        )
        .await?;
        let g1 = self
            .add_goal(
                a,
                c3,
                title("More pupils above mastery level 2 in numeracy, grade 8")?,
            )
            .await?;
        let g2 = self
            .add_goal(
                a,
                c3,
                title("Shared practice for assessment in mathematics")?,
            )
            .await?;
        let m1 = self
            .add_measure(
                a,
                c3,
                g1,
                title("Learning walks on numeracy in every lower-secondary school")?,
                title("The principals")?,
                d("2026-06-15"),
            )
            .await?;
        self.set_measure_status(a, c3, m1, MeasureStatus::Done)
            .await?;
        self.add_measure(
            a,
            c3,
            g1,
            title("Course in numeracy across subjects with Matematikksenteret")?,
            title("Head of education")?,
            d("2026-10-30"),
        )
        .await?;
        self.add_measure(
            a,
            c3,
            g2,
            title("Common criteria for assessment in mathematics, grades 8–10")?,
            title("The mathematics teachers' network")?,
            d("2027-03-01"),
        )
        .await?;
        self.add_referral(
            a,
            c3,
            env("matematikksenteret"),
            title("Numeracy across subjects")?,
            d("2026-01-20"),
        )
        .await?;
        self.add_meeting(a, c3, NewMeeting {
            held_on: d("2026-09-08"),
            participants: text("Kari Nordmann (advisor), Siri Holm (head of education), the principals of the lower-secondary schools")?,
            minutes: text("The learning walks are done; the course has not started yet and is moved to the spring.")?,
        }).await?;
        Ok(vec![owner_login])
    }

    /// Dates the outputs and sign-offs of each phase of case `id` to the given day.
    async fn backdate(&self, id: i32, days: &[(Phase, &str)]) -> Result<()> {
        for (phase, day) in days {
            let at = format!("{day}T10:00:00.000000Z");
            let codes = phase.outputs().iter().map(|o| o.code());
            output::Entity::update_many()
                .col_expr(output::Column::RecordedAt, Expr::value(at.clone()))
                .filter(output::Column::CaseId.eq(id))
                .filter(output::Column::Output.is_in(codes))
                .exec(self.conn())
                .await?;
            signoff::Entity::update_many()
                .col_expr(signoff::Column::SignedAt, Expr::value(at))
                .filter(signoff::Column::CaseId.eq(id))
                .filter(signoff::Column::Phase.eq(phase.code()))
                .exec(self.conn())
                .await?;
        }
        Ok(())
    }
}
