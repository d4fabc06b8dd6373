//! The catalogue of accredited offers: the public list, offers added by providers (for
//! their own organisation) and coordinators, accreditation and withdrawal.

use super::parse_date;
use crate::http::authorize::{Authorized, SignedIn};
use crate::http::error::{AppError, AppResult, ValidForm, ValidPath};
use crate::policy::{allows, can, Action};
use crate::ui::{render, Ctx};
use crate::AppState;
use askama::Template;
use axum::extract::State;
use axum::response::{Html, IntoResponse, Redirect, Response};
use headway_domain::input::{Hours, Points};
use headway_domain::memberships::{ContextRole, Memberships};
use headway_domain::register::OfferStatus;
use headway_store::register::prelude::*;
use headway_store::register::OfferView;
use serde::Deserialize;

#[derive(Template)]
#[template(path = "register/offers.html")]
struct OffersPage {
    ctx: Ctx,
    offers: Vec<OfferView>,
    manage: bool,
    /// May add offers (coordinators for any provider, a provider for itself).
    add: bool,
    /// The provider's own organisation, fixed in the form.
    own_provider: Option<i32>,
    themes: Vec<String>,
}

pub async fn offers(State(state): State<AppState>, ctx: Ctx) -> AppResult<Html<String>> {
    let user = ctx.user.as_ref();
    let manage = allows(user, Action::ManageOffers);
    let add = allows(user, Action::AddOffer { own_org: true });
    // An account that may add offers for its own organisation only (a provider) gets it
    // fixed in the form.
    let own_provider = user
        .filter(|_| add && !allows(user, Action::AddOffer { own_org: false }))
        .and_then(|u| u.contexts_of(ContextRole::Staff).first().copied());
    // Providers see their pending offers too; the public only accredited ones.
    let offers = state.store.offers(!manage).await?;
    let mut offers = offers;
    if let (false, Some(p)) = (manage, own_provider) {
        let mine = state
            .store
            .offers(false)
            .await?
            .into_iter()
            .filter(|o| o.provider_id == p && o.status != OfferStatus::Accredited);
        offers.extend(mine);
    }
    let themes = state.config.register.themes.clone();
    render(&OffersPage {
        ctx,
        offers,
        manage,
        add,
        own_provider,
        themes,
    })
}

#[derive(Deserialize)]
pub struct OfferForm {
    provider_id: i32,
    title: String,
    description: String,
    theme: String,
    hours: String,
    points: String,
    valid_from: String,
    valid_until: String,
}

pub async fn add_offer(
    State(state): State<AppState>,
    SignedIn(me): SignedIn,
    ValidForm(f): ValidForm<OfferForm>,
) -> AppResult<Response> {
    let own_org = me.holds(ContextRole::Staff, f.provider_id);
    if !allows(Some(&me), Action::AddOffer { own_org }) {
        return Err(AppError::forbidden());
    }
    state
        .store
        .add_offer(
            &super::actor(&me),
            f.provider_id,
            &f.title,
            &f.description,
            &[f.theme],
            Hours::parse("hours", &f.hours)?.get(),
            Points::parse("points", &f.points)?.get(),
            parse_date("valid_from", &f.valid_from)?,
            parse_date("valid_until", &f.valid_until)?,
            &state.config.register,
        )
        .await?;
    Ok(Redirect::to("/register/offers").into_response())
}

/// What a coordinator does with an offer.
#[derive(Deserialize, Clone, Copy, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub enum OfferAction {
    Accredit,
    Withdraw,
}

#[derive(Deserialize)]
pub struct OfferStatusForm {
    action: OfferAction,
}

pub async fn offer_status(
    State(state): State<AppState>,
    Authorized(me, _): Authorized<can::ManageOffers>,
    ValidPath(id): ValidPath<i32>,
    ValidForm(f): ValidForm<OfferStatusForm>,
) -> AppResult<Response> {
    state
        .store
        .set_offer_status(
            &super::actor(&me),
            id,
            match f.action {
                OfferAction::Accredit => OfferStatus::Accredited,
                OfferAction::Withdraw => OfferStatus::Withdrawn,
            },
        )
        .await?;
    Ok(Redirect::to("/register/offers").into_response())
}
