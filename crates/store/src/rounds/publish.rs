//! Publishing a round: each group becomes a network inside the round's network, its people
//! members (memberships of their person) and its organisations members or host; members
//! with an e-mail address are told their group in their language. One transaction: a
//! round is published whole or not at all.

use super::entities::{round, round_group};
use super::parse_round;
use crate::audit::AuditEvent;
use crate::entities::membership;
use crate::networks::entities::{network, network_org};
use crate::{outbox, Result, Store, StoreError};
use headway_domain::mail::{Letter, Letters};
use headway_domain::memberships::{ContextKind, ContextRole};
use headway_domain::networks::{NetworkKind, OrgRole};
use headway_domain::rounds::{PopulationKind, RoundMode, RoundRule, RoundStatus};
use sea_orm::sea_query::Expr;
use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, QueryFilter, Set};

enum Key {
    Person(i32),
    Org(i32),
}

fn key(k: &str) -> Option<Key> {
    let (kind, id) = k.split_at(1);
    let id = id.parse().ok()?;
    match kind {
        "p" => Some(Key::Person(id)),
        "o" => Some(Key::Org(id)),
        _ => None,
    }
}

pub(super) async fn publish(
    s: &Store,
    actor: &str,
    id: i32,
    letters: &dyn Letters,
) -> Result<Vec<i32>> {
    let txn = s.begin_write().await?;
    let m = round::Entity::find_by_id(id)
        .one(&*txn)
        .await?
        .ok_or(StoreError::NotFound)?;
    let (spec, status, draft) = parse_round(&m)?;
    let draft = match (status, draft) {
        (RoundStatus::Draft, Some(d)) => d,
        (status, _) => {
            return Err(StoreError::Refused(Box::new(RoundRule::NotADraft {
                status,
            })))
        }
    };
    let parent = network::Entity::find_by_id(m.network_id)
        .one(&*txn)
        .await?
        .ok_or(StoreError::NotFound)?;
    let kind = match (spec.population.kind, spec.mode) {
        (PopulationKind::Leaders, _) => NetworkKind::ConversationGroup,
        (_, RoundMode::Regional) => NetworkKind::RegionalGroup,
        _ => NetworkKind::StudyGroup,
    };
    let now = crate::now();
    let today = now[..10].to_owned();
    let groups = draft.group_members();
    let mut created = Vec::with_capacity(groups.len());
    let mut people_groups: Vec<(i32, usize)> = Vec::new();
    for (g, members) in groups.iter().enumerate() {
        let net = network::ActiveModel {
            kind: Set(kind.code().into()),
            name: Set(format!("{} · {}", m.title, g + 1)),
            country: Set(parent.country.clone()),
            programme_id: Set(parent.programme_id),
            parent_id: Set(Some(parent.id)),
            starts_on: Set(today.clone()),
            ends_on: Set(parent.ends_on.clone()),
            description: Set(spec.question.clone().unwrap_or_default()),
            created_at: Set(now.clone()),
            updated_at: Set(now.clone()),
            ..Default::default()
        }
        .insert(&*txn)
        .await?;
        round_group::ActiveModel {
            round_id: Set(id),
            group_no: Set(g as i32),
            network_id: Set(net.id),
        }
        .insert(&*txn)
        .await?;
        let host = draft.hosts.get(g).copied().flatten();
        let mut orgs = Vec::new();
        let mut people = Vec::new();
        for &i in members {
            let is_host = host == Some(i);
            match key(&draft.members[i].key) {
                Some(Key::Org(o)) => orgs.push(network_org::ActiveModel {
                    network_id: Set(net.id),
                    organization_id: Set(o),
                    role: Set(if is_host {
                        OrgRole::Host
                    } else {
                        OrgRole::Member
                    }
                    .code()
                    .into()),
                    position: Set(if is_host { 0 } else { orgs.len() as i32 + 1 }),
                    declines_hosting: Set(false),
                }),
                Some(Key::Person(p)) => {
                    people_groups.push((p, g));
                    people.push(membership::ActiveModel {
                        account_id: Set(None),
                        person_id: Set(Some(p)),
                        context_kind: Set(ContextKind::Network.code().into()),
                        context_id: Set(net.id),
                        role: Set(if is_host {
                            ContextRole::NetworkHost
                        } else {
                            ContextRole::NetworkMember
                        }
                        .code()
                        .into()),
                        created_at: Set(now.clone()),
                        ..Default::default()
                    });
                }
                None => {
                    return Err(StoreError::Internal(format!(
                        "round {id}: member key {}",
                        draft.members[i].key
                    )))
                }
            }
        }
        if !orgs.is_empty() {
            network_org::Entity::insert_many(orgs)
                .exec_without_returning(&*txn)
                .await?;
        }
        if !people.is_empty() {
            membership::Entity::insert_many(people)
                .exec_without_returning(&*txn)
                .await?;
        }
        created.push(net.id);
    }
    notify(&txn, &m.title, &draft, &created, &people_groups, letters).await?;
    round::Entity::update_many()
        .col_expr(
            round::Column::Status,
            Expr::value(RoundStatus::Published.code()),
        )
        .col_expr(round::Column::PublishedAt, Expr::value(now.clone()))
        .filter(round::Column::Id.eq(id))
        .exec(&*txn)
        .await?;
    txn.commit_audited(AuditEvent {
        actor,
        action: "round.publish",
        subject: &format!("round:{id}"),
        detail: &format!("{} groups", created.len()),
    })
    .await?;
    Ok(created)
}

/// Queues each person's letter: their group and who else is in it.
async fn notify(
    txn: &crate::WriteTxn,
    title: &str,
    draft: &headway_domain::rounds::Draft,
    networks: &[i32],
    people_groups: &[(i32, usize)],
    letters: &dyn Letters,
) -> Result<()> {
    let ids: Vec<i32> = people_groups.iter().map(|(p, _)| *p).collect();
    let to = outbox::Recipients::read(&**txn, &ids).await?;
    let groups = draft.group_members();
    for &(p, g) in people_groups {
        let Some(person) = to.people.get(&p) else {
            continue;
        };
        let Some(email) = person.email.as_deref().filter(|e| !e.is_empty()) else {
            continue;
        };
        let me = format!("p{p}");
        let others = groups[g]
            .iter()
            .filter(|&&i| draft.members[i].key != me)
            .map(|&i| draft.members[i].name.clone())
            .collect();
        let letter = Letter::GroupAssigned {
            given_name: person.given_name.clone(),
            round: title.to_owned(),
            group: (g + 1).to_string(),
            others,
            path: format!("/networks/{}", networks[g]),
        };
        let lang = to.language(p, letters.default_language());
        outbox::queue(
            &**txn,
            letters,
            email,
            lang,
            &letter,
            format!("group:{}:{me}", networks[g]),
        )
        .await?;
    }
    Ok(())
}
