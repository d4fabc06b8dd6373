//! People in networks: a network's coordinators, members and coordination group, held as
//! memberships of their person (`memberships`, context `network`), so a member needs no
//! account and an account sees what its person holds.

use super::entities::network;
use crate::entities::{membership, person};
use crate::{Result, Store, StoreError};
use headway_domain::input::{InputError, Problem};
use headway_domain::memberships::{ContextKind, ContextRole};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder, Set,
};
use serde::Serialize;

/// A person in a network.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct NetworkPerson {
    pub person_id: i32,
    pub name: String,
    pub role: ContextRole,
}

/// Who is in a network.
#[async_trait::async_trait]
pub trait NetworkPeople {
    /// Gives `person` a role in `network` (once); the role must be a network's.
    async fn add_network_person(
        &self,
        actor: &str,
        network: i32,
        person: i32,
        role: ContextRole,
    ) -> Result<()>;

    /// The network's people, coordinators first, then by name; two queries.
    async fn network_people(&self, network: i32) -> Result<Vec<NetworkPerson>>;
}

#[async_trait::async_trait]
impl NetworkPeople for Store {
    async fn add_network_person(
        &self,
        actor: &str,
        network: i32,
        person: i32,
        role: ContextRole,
    ) -> Result<()> {
        if role.context() != ContextKind::Network {
            let allowed = ContextRole::ALL
                .iter()
                .filter(|r| r.context() == ContextKind::Network)
                .map(|r| r.code())
                .collect::<Vec<_>>()
                .join(", ");
            return Err(InputError::new(
                "role",
                Problem::NotOneOf {
                    value: role.code().into(),
                    allowed,
                },
            )
            .into());
        }
        let txn = self.begin_write().await?;
        if network::Entity::find_by_id(network).count(&*txn).await? == 0 {
            return Err(StoreError::NotFound);
        }
        if person::Entity::find_by_id(person).count(&*txn).await? == 0 {
            return Err(InputError::new("person_id", Problem::NoSuchRecord).into());
        }
        let held = membership::Entity::find()
            .filter(membership::Column::PersonId.eq(person))
            .filter(membership::Column::ContextKind.eq(ContextKind::Network.code()))
            .filter(membership::Column::ContextId.eq(network))
            .filter(membership::Column::Role.eq(role.code()))
            .count(&*txn)
            .await?;
        if held > 0 {
            return Ok(());
        }
        membership::ActiveModel {
            account_id: Set(None),
            person_id: Set(Some(person)),
            context_kind: Set(ContextKind::Network.code().into()),
            context_id: Set(network),
            role: Set(role.code().into()),
            created_at: Set(crate::now()),
            ..Default::default()
        }
        .insert(&*txn)
        .await?;
        txn.commit_audited(crate::audit::AuditEvent {
            actor,
            action: "network.person",
            subject: &format!("network:{network}"),
            detail: &format!("person:{person} {}", role.code()),
        })
        .await
    }

    async fn network_people(&self, network: i32) -> Result<Vec<NetworkPerson>> {
        let rows = membership::Entity::find()
            .filter(membership::Column::ContextKind.eq(ContextKind::Network.code()))
            .filter(membership::Column::ContextId.eq(network))
            .filter(membership::Column::PersonId.is_not_null())
            .order_by_asc(membership::Column::Id)
            .all(&self.db)
            .await?;
        let people = self
            .people_of(rows.iter().filter_map(|r| r.person_id))
            .await?;
        let mut out = Vec::with_capacity(rows.len());
        for r in rows {
            let Some(p) = r.person_id.and_then(|p| people.get(&p)) else {
                continue;
            };
            out.push(NetworkPerson {
                person_id: p.id,
                name: format!("{} {}", p.given_name, p.family_name),
                role: ContextRole::parse(&r.role)
                    .map_err(|e| StoreError::Internal(format!("stored role: {e}")))?,
            });
        }
        let rank = |r: ContextRole| usize::from(r != ContextRole::NetworkCoordinator);
        out.sort_by(|a, b| rank(a.role).cmp(&rank(b.role)).then(a.name.cmp(&b.name)));
        Ok(out)
    }
}
