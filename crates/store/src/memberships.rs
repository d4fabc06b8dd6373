//! Roles held in a context, granted and revoked with an audit entry, and read with the
//! account (one query) so that the policy can decide from them.

use crate::audit::{self, AuditEvent};
use crate::entities::membership;
use crate::{Result, Store, StoreError};
use headway_domain::memberships::{ContextRole, Membership};
use sea_orm::{ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, Set};
use std::collections::HashMap;

/// Granting, revoking and reading roles in a context.
#[async_trait::async_trait]
pub trait ContextRoles {
    /// Gives `account_id` the role (once; granting it again changes nothing).
    async fn grant_membership(&self, actor: &str, account_id: i32, m: Membership) -> Result<()>;

    /// Takes the role away (nothing happens when it was not held).
    async fn revoke_membership(&self, actor: &str, account_id: i32, m: Membership) -> Result<()>;

    /// The roles an account holds, in the order they were granted.
    async fn memberships_of(&self, account_id: i32) -> Result<Vec<Membership>>;
}

fn parse(row: membership::Model) -> Result<Membership> {
    Ok(Membership {
        role: ContextRole::parse(&row.role).map_err(|e| StoreError::Internal(e.to_string()))?,
        context_id: row.context_id,
    })
}

/// The memberships of several accounts, in one query: those granted to the account, and
/// those its person holds (a member of a network is a person, with or without an account).
/// `accounts` gives each account's person.
pub(crate) async fn of_accounts<C: ConnectionTrait>(
    c: &C,
    accounts: &[(i32, Option<i32>)],
) -> Result<HashMap<i32, Vec<Membership>>> {
    let mut out: HashMap<i32, Vec<Membership>> = HashMap::new();
    if accounts.is_empty() {
        return Ok(out);
    }
    let ids: Vec<i32> = accounts.iter().map(|a| a.0).collect();
    let account_of: HashMap<i32, i32> = accounts
        .iter()
        .filter_map(|&(a, p)| Some((p?, a)))
        .collect();
    let rows = membership::Entity::find()
        .filter(
            sea_orm::Condition::any()
                .add(membership::Column::AccountId.is_in(ids))
                .add(membership::Column::PersonId.is_in(account_of.keys().copied())),
        )
        .all(c)
        .await?;
    for r in rows {
        let account = r
            .account_id
            .or_else(|| r.person_id.and_then(|p| account_of.get(&p).copied()));
        if let Some(a) = account {
            out.entry(a).or_default().push(parse(r)?);
        }
    }
    Ok(out)
}

/// Stores a membership row (inside the caller's transaction).
pub(crate) async fn insert<C: ConnectionTrait>(
    c: &C,
    account_id: i32,
    m: Membership,
) -> Result<()> {
    membership::ActiveModel {
        account_id: Set(Some(account_id)),
        person_id: Set(None),
        context_kind: Set(m.kind().code().to_owned()),
        context_id: Set(m.context_id),
        role: Set(m.role.code().to_owned()),
        created_at: Set(crate::now()),
        ..Default::default()
    }
    .insert(c)
    .await?;
    Ok(())
}

fn held(account_id: i32, m: Membership) -> sea_orm::Condition {
    sea_orm::Condition::all()
        .add(membership::Column::AccountId.eq(account_id))
        .add(membership::Column::Role.eq(m.role.code()))
        .add(membership::Column::ContextId.eq(m.context_id))
}

#[async_trait::async_trait]
impl ContextRoles for Store {
    async fn grant_membership(&self, actor: &str, account_id: i32, m: Membership) -> Result<()> {
        let txn = self.begin_write().await?;
        let exists = membership::Entity::find()
            .filter(held(account_id, m))
            .one(&*txn)
            .await?
            .is_some();
        if !exists {
            insert(&*txn, account_id, m).await?;
            audit::append(
                &*txn,
                AuditEvent {
                    actor,
                    action: "membership.grant",
                    subject: &format!("user:{account_id}"),
                    detail: &format!("{} {}:{}", m.role.code(), m.kind().code(), m.context_id),
                },
            )
            .await?;
        }
        txn.commit().await?;
        Ok(())
    }

    async fn revoke_membership(&self, actor: &str, account_id: i32, m: Membership) -> Result<()> {
        let txn = self.begin_write().await?;
        let gone = membership::Entity::delete_many()
            .filter(held(account_id, m))
            .exec(&*txn)
            .await?;
        if gone.rows_affected > 0 {
            audit::append(
                &*txn,
                AuditEvent {
                    actor,
                    action: "membership.revoke",
                    subject: &format!("user:{account_id}"),
                    detail: &format!("{} {}:{}", m.role.code(), m.kind().code(), m.context_id),
                },
            )
            .await?;
        }
        txn.commit().await?;
        Ok(())
    }

    async fn memberships_of(&self, account_id: i32) -> Result<Vec<Membership>> {
        let person = crate::entities::user::Entity::find_by_id(account_id)
            .one(&self.db)
            .await?
            .and_then(|u| u.person_id);
        Ok(of_accounts(&self.db, &[(account_id, person)])
            .await?
            .remove(&account_id)
            .unwrap_or_default())
    }
}
