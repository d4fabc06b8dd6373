//! The catalogue of offers: added by providers and coordinators, accredited or withdrawn.

use super::*;

/// The catalogue of offers: added by providers and coordinators, accredited or withdrawn.
#[async_trait::async_trait]
pub trait Catalogue {
    /// Adds an offer (pending until a coordinator accredits it).
    #[allow(clippy::too_many_arguments)]
    async fn add_offer(
        &self,
        actor: &str,
        provider_id: i32,
        title: &str,
        description: &str,
        themes: &[String],
        hours: f64,
        points: f64,
        valid_from: NaiveDate,
        valid_until: NaiveDate,
        r: &RegisterRules,
    ) -> Result<i32>;

    /// A coordinator accredits or withdraws an offer.
    async fn set_offer_status(&self, actor: &str, offer_id: i32, status: OfferStatus)
        -> Result<()>;

    async fn offers(&self, only_accredited: bool) -> Result<Vec<OfferView>>;
}

#[async_trait::async_trait]
impl Catalogue for Store {
    async fn add_offer(
        &self,
        actor: &str,
        provider_id: i32,
        title: &str,
        description: &str,
        themes: &[String],
        hours: f64,
        points: f64,
        valid_from: NaiveDate,
        valid_until: NaiveDate,
        r: &RegisterRules,
    ) -> Result<i32> {
        let title = Title::parse("title", title)?;
        let description = Description::parse("description", description)?;
        let hours = Hours::new("hours", hours)?.get();
        let points = Points::new("points", points)?.get();
        if themes.is_empty() {
            return Err(InputError::new("theme", Problem::Required).into());
        }
        if let Some(t) = themes.iter().find(|t| !r.themes.contains(t)) {
            let shown: String = t.chars().take(60).collect();
            return Err(InputError::new(
                "theme",
                Problem::NotOneOf {
                    value: shown,
                    allowed: r.themes.join(", "),
                },
            )
            .into());
        }
        if valid_until < valid_from {
            return Err(InputError::new("valid_until", Problem::EndBeforeStart).into());
        }
        let txn = self.begin_write().await?;
        let p = organization::Entity::find_by_id(provider_id)
            .one(&*txn)
            .await?
            .ok_or(InputError::new("provider", Problem::NoSuchRecord))?;
        if p.kind != "provider" && p.kind != "agency" {
            return Err(InputError::new("provider", Problem::NotAProvider).into());
        }
        let o = offer::ActiveModel {
            provider_id: Set(provider_id),
            title: Set(title.as_str().into()),
            description: Set(description.into_inner()),
            themes: Set(themes.join(", ")),
            hours: Set(hours),
            points: Set(points),
            valid_from: Set(rules::format_date(valid_from)),
            valid_until: Set(rules::format_date(valid_until)),
            status: Set(OfferStatus::Pending.code().into()),
            created_at: Set(crate::now()),
            ..Default::default()
        }
        .insert(&*txn)
        .await?;
        txn.commit_audited(AuditEvent {
            actor,
            action: "register.offer.add",
            subject: &format!("offer:{}", o.id),
            detail: title.as_str(),
        })
        .await?;
        Ok(o.id)
    }

    async fn set_offer_status(
        &self,
        actor: &str,
        offer_id: i32,
        status: OfferStatus,
    ) -> Result<()> {
        let txn = self.begin_write().await?;
        let status = status.code();
        let n = offer::Entity::update_many()
            .col_expr(offer::Column::Status, Expr::value(status))
            .filter(offer::Column::Id.eq(offer_id))
            .exec(&*txn)
            .await?;
        if n.rows_affected == 0 {
            return Err(StoreError::NotFound);
        }
        txn.commit_audited(AuditEvent {
            actor,
            action: &format!("register.offer.{status}"),
            subject: &format!("offer:{offer_id}"),
            detail: "",
        })
        .await?;
        Ok(())
    }

    async fn offers(&self, only_accredited: bool) -> Result<Vec<OfferView>> {
        let mut q = offer::Entity::find().order_by_asc(offer::Column::Title);
        if only_accredited {
            q = q.filter(offer::Column::Status.eq(OfferStatus::Accredited.code()));
        }
        let rows = q.all(&self.db).await?;
        let pids: Vec<i32> = rows.iter().map(|o| o.provider_id).collect();
        let names: HashMap<i32, String> = organization::Entity::find()
            .filter(organization::Column::Id.is_in(pids))
            .all(&self.db)
            .await?
            .into_iter()
            .map(|o| (o.id, o.name))
            .collect();
        rows.into_iter()
            .map(|o| {
                Ok(OfferView {
                    id: o.id,
                    provider_id: o.provider_id,
                    provider: names.get(&o.provider_id).cloned().unwrap_or_default(),
                    title: o.title,
                    description: o.description,
                    themes: o.themes,
                    hours: o.hours,
                    points: o.points,
                    valid_from: o.valid_from,
                    valid_until: o.valid_until,
                    status: OfferStatus::parse(&o.status).map_err(corrupt)?,
                })
            })
            .collect()
    }
}
