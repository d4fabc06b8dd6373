//! The demo: accounts for every role, with people and positions at real organisations.

use crate::accounts::NewAccount;
use crate::entities::{organization, person, position};
use crate::register::prelude::*;
use crate::{Result, Store};
use headway_domain::accounts::{NewPassword, Role, Username};
use headway_domain::register::{ActivityKind, OfferStatus, Position};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder, Set,
};

/// The password of every demo account. Printed by `headway demo`; never use a demo
/// database for real data.
pub const DEMO_PASSWORD: &str = "headway-demo";

/// A demo login to print.
#[derive(Debug, Clone)]
pub struct DemoLogin {
    pub username: String,
    pub role: Role,
    pub what: String,
}

const DUTCH_GIVEN: [&str; 12] = [
    "Anouk", "Bram", "Daan", "Eva", "Femke", "Jeroen", "Lotte", "Marieke", "Niels", "Sanne",
    "Thijs", "Wouter",
];
const DUTCH_FAMILY: [&str; 12] = [
    "de Vries", "Jansen", "Bakker", "Visser", "Smit", "Meijer", "de Boer", "Mulder", "de Groot",
    "Bos", "Vos", "Peters",
];

async fn org_by_external(store: &Store, ext: &str) -> Result<Option<organization::Model>> {
    Ok(organization::Entity::find()
        .filter(organization::Column::ExternalId.eq(ext))
        .one(store.conn())
        .await?)
}

impl Store {
    /// Adds a person with a position; returns the person's id.
    pub async fn add_person_with_position(
        &self,
        given: &str,
        family: &str,
        email: Option<&str>,
        org: i32,
        title: &str,
        starts_on: &str,
    ) -> Result<i32> {
        let txn = self.begin_write().await?;
        let p = person::ActiveModel {
            given_name: Set(given.to_owned()),
            family_name: Set(family.to_owned()),
            email: Set(email.map(str::to_owned)),
            search_key: Set(headway_domain::text::fold(&format!("{given} {family}"))),
            created_at: Set(crate::now()),
            ..Default::default()
        }
        .insert(&*txn)
        .await?;
        position::ActiveModel {
            person_id: Set(p.id),
            organization_id: Set(org),
            title: Set(title.to_owned()),
            starts_on: Set(starts_on.to_owned()),
            ends_on: Set(None),
            ..Default::default()
        }
        .insert(&*txn)
        .await?;
        txn.commit().await?;
        Ok(p.id)
    }

    /// Creates the demo accounts once (a second call changes nothing) and returns them.
    /// Needs the bundled directory imported first.
    pub async fn seed_demo(&self) -> Result<Vec<DemoLogin>> {
        let sercer = org_by_external(self, "si:zavod:os-ljubo-sercer-kocevje").await?;
        // The largest Rotterdam board in the DUO list, with 56 schools.
        let board = org_by_external(self, "nl:bg:41775").await?;
        let lillestrom = org_by_external(self, "no:kommune:3205").await?;
        // ØST: an owner's representative (Nordre Follo kommune) and a principal of one of its
        // schools, for the gathering's two audiences.
        let nordre_follo = org_by_external(self, "no:kommune:3207").await?;
        let boleraasen = org_by_external(self, "no:skole:974593785").await?;
        // The provider of the demo's offers, before its account.
        self.seed_register_agency().await?;
        let agency = org_by_external(self, "demo:agency:szr").await?;
        type Plan<'a> = (&'a str, Role, &'a str, &'a str, Option<i32>, &'a str);
        let plan: Vec<Plan<'_>> = vec![
            ("admin", Role::Admin, "Ada", "Admin", None, "administrator"),
            (
                "coordinator",
                Role::Coordinator,
                "Marta",
                "Kovač",
                None,
                "coordinator",
            ),
            (
                "advisor",
                Role::Advisor,
                "Kari",
                "Nordmann",
                lillestrom.as_ref().map(|o| o.id),
                "advisor",
            ),
            (
                "owner",
                Role::Owner,
                "Pieter",
                "de Vries",
                board.as_ref().map(|o| o.id),
                "board_representative",
            ),
            (
                "leader",
                Role::Leader,
                "Ana",
                "Novak",
                sercer.as_ref().map(|o| o.id),
                "director",
            ),
            (
                "provider",
                Role::Provider,
                "Mateja",
                "Kos",
                agency.as_ref().map(|o| o.id),
                "programme_lead",
            ),
            (
                "ost-owner",
                Role::Owner,
                "Ingrid",
                "Berg",
                nordre_follo.as_ref().map(|o| o.id),
                "board_representative",
            ),
            (
                "ost-principal",
                Role::Leader,
                "Lars",
                "Haugen",
                boleraasen.as_ref().map(|o| o.id),
                "director",
            ),
        ];
        let mut out = Vec::new();
        for (username, role, given, family, org, title) in plan {
            let what = format!("{given} {family}");
            out.push(DemoLogin {
                username: username.into(),
                role,
                what: what.clone(),
            });
            if self.account_by_username(username).await?.is_some() {
                continue;
            }
            let person_id = match org {
                Some(o) => Some(
                    self.add_person_with_position(
                        given,
                        family,
                        Some(&format!("{username}@demo.headway.invalid")),
                        o,
                        title,
                        "2023-08-01",
                    )
                    .await?,
                ),
                None => None,
            };
            let account = self
                .create_account(
                    "system:demo",
                    NewAccount {
                        username: Username::parse(username)?,
                        password: NewPassword::parse(DEMO_PASSWORD)?,
                        role,
                        display_name: what,
                        organization_id: org,
                        person_id,
                    },
                )
                .await?;
            // The schools of the board the account represents get (generated) directors, so
            // the board's representative sees its leaders.
            use headway_domain::memberships::{ContextRole, Memberships};
            let represents = account.contexts_of(ContextRole::Representative);
            if let Some(b) = board.as_ref().filter(|b| represents.contains(&b.id)) {
                let schools = organization::Entity::find()
                    .filter(organization::Column::ParentId.eq(b.id))
                    .order_by_asc(organization::Column::Id)
                    .all(self.conn())
                    .await?;
                let mut rng = StdRng::seed_from_u64(41775);
                for s in schools {
                    let g = DUTCH_GIVEN[rng.gen_range(0..DUTCH_GIVEN.len())];
                    let f = DUTCH_FAMILY[rng.gen_range(0..DUTCH_FAMILY.len())];
                    let year = rng.gen_range(2012..2025);
                    self.add_person_with_position(
                        g,
                        f,
                        None,
                        s.id,
                        "director",
                        &format!("{year}-08-01"),
                    )
                    .await?;
                }
            }
        }
        self.seed_register_demo().await?;
        self.seed_networks_demo().await?;
        self.seed_events_demo().await?;
        self.seed_feedback_demo().await?;
        Ok(out)
    }

    /// Šola za ravnatelje as the demo's provider, with three accredited offers (once).
    async fn seed_register_agency(&self) -> Result<()> {
        let rules = headway_domain::register::RegisterRules::default();
        let today = chrono::Utc::now().date_naive();
        if organization::Entity::find()
            .filter(organization::Column::ExternalId.eq("demo:agency:szr"))
            .one(self.conn())
            .await?
            .is_none()
        {
            let agency = organization::ActiveModel {
                external_id: Set("demo:agency:szr".into()),
                country: Set("SI".into()),
                kind: Set("agency".into()),
                name: Set("Šola za ravnatelje".into()),
                search_key: Set(headway_domain::text::fold("Šola za ravnatelje Ljubljana")),
                city: Set(Some("Ljubljana".into())),
                updated_at: Set(crate::now()),
                ..Default::default()
            }
            .insert(self.conn())
            .await?;
            let from = today - chrono::Duration::days(365);
            let until = today + chrono::Duration::days(2 * 365);
            for (t, h, p) in [
                ("Regional group counselling for principals", 16.0, 10.0),
                ("Leading a professional learning community", 40.0, 25.0),
                ("School law for principals", 8.0, 5.0),
            ] {
                let o = self
                    .add_offer(
                        "system:demo",
                        agency.id,
                        t,
                        "Šola za ravnatelje",
                        &[rules.themes[0].clone()],
                        h,
                        p,
                        from,
                        until,
                        &rules,
                    )
                    .await?;
                self.set_offer_status("system:demo", o, OfferStatus::Accredited)
                    .await?;
            }
        }
        Ok(())
    }

    /// The register part of the demo: the demo leader registered with activities, an
    /// agency with accredited offers, and 3,000 generated leaders over the real schools.
    async fn seed_register_demo(&self) -> Result<()> {
        use headway_domain::register::{Decision, RegisterRules};
        let rules = RegisterRules::default();
        let today = chrono::Utc::now().date_naive();
        if let Some(acct) = self.account_by_username("leader").await? {
            if self.leader_id_for_user(acct.id).await?.is_none() {
                if let Some(school) = acct.organization_id {
                    let id = self
                        .enrol(
                            acct.id,
                            crate::register::Enrolment {
                                given_name: "Ana".into(),
                                family_name: "Novak".into(),
                                email: Some("leader@demo.headway.invalid".into()),
                                board_id: None,
                                school_ids: vec![school],
                                position: Position::Director,
                                qualification: "Šola za ravnatelje: ravnateljski izpit (2016)"
                                    .into(),
                            },
                        )
                        .await?;
                    let start = today - chrono::Duration::days(3 * 365);
                    self.decide(
                        "system:demo",
                        id,
                        Decision::Register {
                            level: "Master".into(),
                        },
                        start,
                        &rules,
                    )
                    .await?;
                    for (t, p, days) in [
                        ("Regional group counselling, Kočevje", 12.0, 900),
                        ("Formative assessment study group", 20.0, 400),
                        ("Legal counselling: school law", 8.0, 60),
                    ] {
                        let on = today - chrono::Duration::days(days);
                        self.add_activity(
                            id,
                            crate::register::NewActivity {
                                offer_id: None,
                                title: t.into(),
                                kind: ActivityKind::Formal,
                                themes: vec![rules.themes[0].clone()],
                                hours: p,
                                points: p,
                                started_on: on,
                                completed_on: on,
                            },
                            vec![],
                            &rules,
                            today,
                        )
                        .await?;
                    }
                }
            }
        }
        let generated = crate::entities::register::leader::Entity::find()
            .count(self.conn())
            .await?;
        if generated < 100 {
            self.generate_register(3_000, 6, 2017, today, &rules, &|_, _| {})
                .await?;
        }
        Ok(())
    }
}
