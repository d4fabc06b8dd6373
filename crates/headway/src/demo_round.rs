//! The demo's Dutch round of conversation groups: the registered leaders of the demo
//! register in diverse groups of about ten (region, school type, environment, governance),
//! formed by the solver with a fixed budget and published.

use headway_domain::directory::Country;
use headway_domain::language::Lang;
use headway_domain::rounds::{
    Population, PopulationKind, ProfileAttribute, RoundMode, RoundSpec, Weighted,
};
use headway_store::networks::demo::{NL_QUESTION, NL_ROUND};
use headway_store::networks::{NetworkQuery, Networks};
use headway_store::rounds::{RoundAspects, Rounds};
use headway_store::{Result, Store};
use headway_web::rounds::pages::start_as;
use headway_web::rounds::runner::Runner;
use headway_web::ui::mail::FluentLetters;

/// Example basic competences the facilitators tag aspects with. The register's question
/// (seed 003) speaks of "algemene basiscompetenties" without listing them, so these four are
/// the demo's own wording, not a quotation of a standard; a coordinator enters each round's
/// own list.
const COMPETENCES: [&str; 4] = [
    "Werken vanuit een visie op onderwijs en opvoeding",
    "Zorgen voor goede onderwijskwaliteit en een veilige omgeving",
    "Zorgen dat leraren zich blijven ontwikkelen",
    "Reflecteren op zichzelf en het eigen werk",
];

/// Examples of what three groups recorded (demo content): (group, competence, aspect).
const ASPECTS: [(usize, usize, &str); 8] = [
    (
        0,
        0,
        "Een krimpdorp vraagt een visie die de school als ontmoetingsplek ziet",
    ),
    (
        0,
        1,
        "In een kleine school kent de schoolleider elk kind en elke ouder",
    ),
    (
        0,
        3,
        "Alleen op locatie: intervisie met collega's van andere besturen is nodig",
    ),
    (
        1,
        2,
        "Het lerarentekort in de Randstad maakt zij-instromers begeleiden tot kerntaak",
    ),
    (1, 0, "Een visie op burgerschap in een wijk met veel talen"),
    (1, 1, "Veiligheid: samenwerken met wijkagent en jeugdzorg"),
    (
        2,
        2,
        "Bij een groot bestuur: professionalisering afstemmen met het bovenschools beleid",
    ),
    (
        2,
        3,
        "Denominatie geeft richting aan het eigen handelen en de eigen twijfels",
    ),
];

/// Forms and publishes the round once (nothing when it has rounds already).
pub async fn seed_round(store: &Store) -> Result<()> {
    let q = NetworkQuery {
        top_level: true,
        country: Some(Country::Netherlands),
        ..Default::default()
    };
    let Some(net) = store
        .networks(&q)
        .await?
        .into_iter()
        .find(|n| n.name == NL_ROUND)
    else {
        return Ok(());
    };
    if !store.rounds_of(net.id).await?.is_empty() {
        return Ok(());
    }
    let spec = RoundSpec {
        title: "Gespreksgroepen najaar 2026".into(),
        population: Population {
            kind: PopulationKind::Leaders,
            country: Some(Country::Netherlands),
            region: None,
            org_kind: None,
        },
        mode: RoundMode::Diverse,
        size: 10,
        min: None,
        max: None,
        attributes: [
            ProfileAttribute::Region,
            ProfileAttribute::SchoolType,
            ProfileAttribute::Environment,
            ProfileAttribute::Governance,
        ]
        .map(|attribute| Weighted {
            attribute,
            weight: 1.0,
            similar: false,
        })
        .to_vec(),
        keep_apart: vec![],
        keep_together: vec![],
        hosts: vec![],
        host_per_group: false,
        avoid_earlier: true,
        seconds: 5,
        question: Some(NL_QUESTION.into()),
        competences: COMPETENCES.iter().map(|c| c.to_string()).collect(),
    };
    let round = start_as(store, "system:demo", net.id, &spec)
        .await
        .map_err(|e| headway_store::StoreError::Internal(e.message))?;
    let runner = Runner {
        max_steps: Some(200_000),
        ..Runner::new("demo")
    };
    while runner.work_once(store).await? {}
    if store.round(round).await?.draft.is_some() {
        store
            .publish_round("system:demo", round, &FluentLetters::new(Lang::Nl))
            .await?;
        for (group, competence, text) in ASPECTS {
            store
                .add_aspect("system:demo", round, group, competence, text)
                .await?;
        }
    }
    Ok(())
}
