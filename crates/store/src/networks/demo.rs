//! The demo's networks, from the shipped public data: the ten Slovenian regional groups of
//! principals of the 2016–2017 pilot (Šola za ravnatelje), each with its institutions (the
//! host first, as the programme lists them) and the date of its session as the programme
//! gives it; and the Norwegian Regionalt skoleeiersamarbeid ØST with twelve municipalities
//! of Follo, Øvre and Nedre Romerike. The demo leader, whose school is in the first group,
//! is a member of it.

use super::{NetworkPeople, NetworkQuery, Networks, NewNetwork};
use crate::entities::user;
use crate::import::bundled::BUNDLED;
use crate::import::{CsvTable, Dataset};
use crate::register::date;
use crate::{Result, Store, StoreError};
use chrono::NaiveDate;
use headway_domain::directory::Country;
use headway_domain::memberships::ContextRole;
use headway_domain::networks::{NetworkKind, OrgRole, Period};
use headway_domain::text::fold;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
use std::collections::BTreeMap;

const ACTOR: &str = "system:demo";

/// The pilot's parent network.
pub const SI_PILOT: &str = "Svetovanje regijskim aktivom ravnateljev (pilot 2016–2017)";
/// The Dutch register's round of conversation groups, and its core question (seed 003).
pub const NL_ROUND: &str = "Gespreksgroepen Schoolleidersregister PO 2026–2027";
pub const NL_QUESTION: &str = "Hoe verhouden persoonlijke en omgevingsaspecten zich tot algemene basiscompetenties voor schoolleiders?";

pub const OST: &str = "Regionalt skoleeiersamarbeid ØST";

/// The twelve ØST members chosen for the demo (the seed names no list): all of Follo (6)
/// and of Nedre Romerike (5), and Ullensaker, the largest of Øvre Romerike.
pub const OST_MEMBERS: [&str; 12] = [
    "3207", "3212", "3214", "3216", "3218", "3220", // Follo
    "3205", "3222", "3224", "3226", "3232", // Nedre Romerike
    "3209", // Øvre Romerike: Ullensaker
];

fn bundled(d: Dataset) -> Result<CsvTable> {
    let (_, path, bytes) = BUNDLED
        .iter()
        .find(|(x, _, _)| *x == d)
        .ok_or_else(|| StoreError::Internal(format!("{d} is not bundled")))?;
    Ok(CsvTable::parse(path, bytes)?)
}

impl Store {
    /// Seeds the demo's networks once (nothing when they exist).
    pub async fn seed_networks_demo(&self) -> Result<()> {
        let top = self
            .networks(&NetworkQuery {
                top_level: true,
                ..Default::default()
            })
            .await?;
        if top.iter().any(|n| n.name == SI_PILOT) {
            return Ok(());
        }
        self.seed_slovenian_groups().await?;
        self.seed_ost().await?;
        self.seed_conversation_round().await
    }

    /// The Dutch register's round of conversation groups (seed 003), without its groups:
    /// the demo forms them with the solver (`headway_web::rounds::demo`).
    async fn seed_conversation_round(&self) -> Result<()> {
        self.create_network(
            "system:demo",
            NewNetwork {
                kind: NetworkKind::ConversationRound,
                name: NL_ROUND.into(),
                country: Country::Netherlands,
                programme_id: None,
                parent_id: None,
                period: Period::new(
                    NaiveDate::from_ymd_opt(2026, 9, 1).unwrap_or_default(),
                    NaiveDate::from_ymd_opt(2027, 6, 30),
                )?,
                description: NL_QUESTION.into(),
            },
        )
        .await?;
        Ok(())
    }

    async fn seed_slovenian_groups(&self) -> Result<()> {
        let t = bundled(Dataset::SiInstitutions)?;
        let (group, day, order, name) = (
            t.require(&["aktiv"])?,
            t.require(&["datum"])?,
            t.require(&["vrstni_red"])?,
            t.require(&["naziv"])?,
        );
        // group → (date, [(order, institution)])
        let mut groups: BTreeMap<i64, (NaiveDate, Vec<(i64, String)>)> = BTreeMap::new();
        for r in t.rows() {
            let g = r.i64_req(group)?;
            let d = date(r.req(day)?)?;
            let o = r.i64_req(order)?;
            let e = groups.entry(g).or_insert((d, Vec::new()));
            e.1.push((o, r.req(name)?.to_owned()));
        }
        let first = groups.values().map(|g| g.0).min();
        let last = groups.values().map(|g| g.0).max();
        let (Some(first), Some(last)) = (first, last) else {
            return Ok(());
        };
        let programme = self.organization_id("demo:agency:szr").await?;
        // The demo leader (person, school), when the demo has made her account.
        let leader = user::Entity::find()
            .filter(user::Column::Username.eq("leader"))
            .one(&self.db)
            .await?
            .and_then(|u| Some((u.person_id?, u.organization_id?)));
        let pilot = self
            .create_network(
                ACTOR,
                NewNetwork {
                    kind: NetworkKind::Programme,
                    name: SI_PILOT.into(),
                    country: Country::Slovenia,
                    programme_id: programme,
                    parent_id: None,
                    period: Period::new(first, Some(last))?,
                    description: "Svetovanje skupinam ravnateljev na regijski ravni: v prvem \
                        delu teoretična in zakonodajna izhodišča ter izmenjava dobrih praks, v \
                        drugem delu individualno pravno svetovanje."
                        .into(),
                },
            )
            .await?;
        for (g, (d, mut members)) in groups {
            members.sort();
            let host_name = members.first().map(|m| m.1.clone()).unwrap_or_default();
            let id = self
                .create_network(
                    ACTOR,
                    NewNetwork {
                        kind: NetworkKind::RegionalGroup,
                        name: format!("Regijski aktiv {g}: {host_name}"),
                        country: Country::Slovenia,
                        programme_id: programme,
                        parent_id: Some(pilot),
                        period: Period::new(d, Some(d))?,
                        description: String::new(),
                    },
                )
                .await?;
            let mut host = None;
            let mut orgs = Vec::new();
            for (o, n) in &members {
                // The importer's external id for an institution of the programme.
                let ext = format!("si:zavod:{}", fold(n).replace(' ', "-"));
                let Some(org) = self.organization_id(&ext).await? else {
                    return Err(StoreError::Internal(format!(
                        "{n} is not in the directory; import si-institutions first"
                    )));
                };
                let role = if *o == 1 {
                    OrgRole::Host
                } else {
                    OrgRole::Member
                };
                self.add_network_org(ACTOR, id, org, role).await?;
                orgs.push(org);
                if *o == 1 {
                    host = Some(org);
                }
            }
            self.add_meeting(ACTOR, id, d, host, "").await?;
            // The demo leader's school is in this group: she is a member.
            if let Some((person, _)) = leader.filter(|(_, school)| orgs.contains(school)) {
                self.add_network_person(ACTOR, id, person, ContextRole::NetworkMember)
                    .await?;
            }
        }
        Ok(())
    }

    async fn seed_ost(&self) -> Result<()> {
        let start = date("2020-01-28")?;
        let id = self
            .create_network(
                ACTOR,
                NewNetwork {
                    kind: NetworkKind::OwnerNetwork,
                    name: OST.into(),
                    country: Country::Norway,
                    programme_id: None,
                    parent_id: None,
                    period: Period::new(start, None)?,
                    description: "Eierskap – Ledelse – Læring. Samarbeidsmodell mellom 12 \
                        kommuner fra Follo, Øvre og Nedre Romerike: gi kommunene et styrket \
                        grunnlag for systemisk arbeid med kvalitetsutvikling i \
                        oppvekstsektoren, gjennom profesjonsutvikling innen skoleeierskap og \
                        pedagogisk ledelse."
                        .into(),
                },
            )
            .await?;
        for k in OST_MEMBERS {
            let Some(org) = self.organization_id(&format!("no:kommune:{k}")).await? else {
                return Err(StoreError::Internal(format!(
                    "kommune {k} is not in the directory; import no-municipalities first"
                )));
            };
            self.add_network_org(ACTOR, id, org, OrgRole::Member)
                .await?;
        }
        self.add_meeting(
            ACTOR,
            id,
            start,
            None,
            "Oppstartsamling for administrative skoleeiere (hele dagen) og rektorer (fra \
             lunsj), KS Agenda, Nationalteatret Konferansesenter, Oslo",
        )
        .await
    }
}
