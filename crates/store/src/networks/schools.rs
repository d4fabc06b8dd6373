//! The schools of a network's member organisations: for a network of school owners (ØST's
//! municipalities), the schools whose principals are the network's second audience.

use super::entities::network_org;
use crate::directory::{parse_summary, OrgSummary};
use crate::entities::organization;
use crate::{Result, Store};
use headway_domain::directory::OrgKind;
use sea_orm::sea_query::Query;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder};

/// Schools reached through a network's members.
#[async_trait::async_trait]
pub trait NetworkSchools {
    /// The schools (by municipality, then name) whose owner or board is one of
    /// `network`'s organisations; two queries.
    async fn member_schools(&self, network: i32) -> Result<Vec<OrgSummary>>;
}

#[async_trait::async_trait]
impl NetworkSchools for Store {
    async fn member_schools(&self, network: i32) -> Result<Vec<OrgSummary>> {
        let members = Query::select()
            .column(network_org::Column::OrganizationId)
            .from(network_org::Entity)
            .and_where(network_org::Column::NetworkId.eq(network))
            .to_owned();
        let schools = organization::Entity::find()
            .filter(organization::Column::Kind.eq(OrgKind::School.code()))
            .filter(organization::Column::ParentId.in_subquery(members))
            .order_by_asc(organization::Column::MunicipalityId)
            .order_by_asc(organization::Column::Name)
            .all(&self.db)
            .await?;
        let munis = self
            .municipality_names(schools.iter().filter_map(|o| o.municipality_id))
            .await?;
        schools
            .into_iter()
            .map(|o| parse_summary(o, &munis))
            .collect()
    }
}
