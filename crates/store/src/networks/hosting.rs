//! Host rotation: which organisations decline to host a network's meetings, and the host
//! to suggest for the next one (`headway_domain::networks::next_host` over the network's
//! members, past meetings and declines).

use super::entities::network_org;
use super::{hosted, NetworkDetail};
use crate::audit::AuditEvent;
use crate::{Result, Store, StoreError};
use headway_domain::networks::next_host;
use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};

/// Declining to host.
#[async_trait::async_trait]
pub trait NetworkHosting {
    /// Records that `org` declines (or no longer declines) to host `network`'s meetings.
    /// `NotFound` when the organisation is not in the network.
    async fn set_declines_hosting(
        &self,
        actor: &str,
        network: i32,
        org: i32,
        declines: bool,
    ) -> Result<()>;
}

#[async_trait::async_trait]
impl NetworkHosting for Store {
    async fn set_declines_hosting(
        &self,
        actor: &str,
        network: i32,
        org: i32,
        declines: bool,
    ) -> Result<()> {
        let txn = self.begin_write().await?;
        let n = network_org::Entity::update_many()
            .col_expr(network_org::Column::DeclinesHosting, Expr::value(declines))
            .filter(network_org::Column::NetworkId.eq(network))
            .filter(network_org::Column::OrganizationId.eq(org))
            .exec(&*txn)
            .await?;
        if n.rows_affected == 0 {
            return Err(StoreError::NotFound);
        }
        txn.commit_audited(AuditEvent {
            actor,
            action: "network.hosting",
            subject: &format!("network:{network}"),
            detail: &format!("organization:{org} declines={declines}"),
        })
        .await
    }
}

/// The host to suggest for `n`'s next meeting (hosted least, then longest ago, then first
/// listed; skipping those who decline), with its name; `None` when every member declines
/// or the network has no members.
pub fn suggest_host(n: &NetworkDetail) -> Option<(i32, String)> {
    let candidates: Vec<i32> = n.organizations.iter().map(|o| o.organization.id).collect();
    let declined: Vec<i32> = n
        .organizations
        .iter()
        .filter(|o| o.declines_hosting)
        .map(|o| o.organization.id)
        .collect();
    let id = next_host(&candidates, &hosted(n), &declined)?;
    n.organizations
        .iter()
        .find(|o| o.organization.id == id)
        .map(|o| (id, o.organization.name.clone()))
}
