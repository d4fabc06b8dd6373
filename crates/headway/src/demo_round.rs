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
use headway_store::rounds::Rounds;
use headway_store::{Result, Store};
use headway_web::rounds::pages::start_as;
use headway_web::rounds::runner::Runner;
use headway_web::ui::mail::FluentLetters;

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
    }
    Ok(())
}
