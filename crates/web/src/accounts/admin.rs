//! Administration: accounts and the e-mail outbox.

use crate::http::authorize::Authorized;
use crate::http::error::{AppError, AppResult, ValidForm, ValidQuery};
use crate::policy::can;
use crate::ui::{render, Ctx};
use crate::AppState;
use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use headway_store::outbox::Outbox;

use headway_domain::accounts::{NewPassword, Role, Username};
use headway_domain::input::{InputError, PersonName, Problem};
use headway_store::accounts::{Account, NewAccount};
use serde::Deserialize;

#[derive(Template)]
#[template(path = "admin/accounts.html")]
struct AccountsPage {
    ctx: Ctx,
    accounts: Vec<Account>,
    roles: &'static [Role],
    created: Option<String>,
    error: Option<String>,
}

#[derive(Deserialize)]
pub struct CreatedParam {
    created: Option<String>,
}

pub async fn accounts(
    State(state): State<AppState>,
    ctx: Ctx,
    _: Authorized<can::ManageAccounts>,
    ValidQuery(q): ValidQuery<CreatedParam>,
) -> AppResult<Response> {
    let accounts = state.store.accounts().await?;
    let created = q.created.map(|n| ctx.tr.a("accounts-created", "name", &n));
    Ok(render(&AccountsPage {
        ctx,
        accounts,
        roles: Role::ALL,
        created,
        error: None,
    })?
    .into_response())
}

#[derive(Deserialize)]
pub struct NewAccountForm {
    username: String,
    password: String,
    display_name: String,
    role: String,
    organization_id: Option<String>,
}

fn parse_form(f: &NewAccountForm) -> Result<NewAccount, AppError> {
    let organization_id = match f
        .organization_id
        .as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty())
    {
        Some(v) => Some(v.parse::<i32>().map_err(|_| {
            InputError::new(
                "organization_id",
                Problem::NotANumber {
                    value: v.chars().take(40).collect(),
                },
            )
        })?),
        None => None,
    };
    let display_name = PersonName::parse("display_name", &f.display_name)?;
    Ok(NewAccount {
        username: Username::parse(&f.username)?,
        password: NewPassword::parse(&f.password)?,
        role: Role::parse(&f.role)?,
        display_name: display_name.into_inner(),
        organization_id,
        person_id: None,
    })
}

pub async fn create_account(
    State(state): State<AppState>,
    ctx: Ctx,
    Authorized(me, _): Authorized<can::ManageAccounts>,
    ValidForm(f): ValidForm<NewAccountForm>,
) -> AppResult<Response> {
    let result = match parse_form(&f) {
        Ok(new) => state
            .store
            .create_account(&format!("user:{}", me.id), new)
            .await
            .map_err(AppError::from),
        Err(e) => Err(e),
    };
    match result {
        Ok(a) => {
            Ok(Redirect::to(&format!("/admin/accounts?created={}", a.username)).into_response())
        }
        Err(e) if e.code == "bad_request" => {
            let error = ctx.error_text(&e);
            let accounts = state.store.accounts().await?;
            let page = AccountsPage {
                ctx,
                accounts,
                roles: Role::ALL,
                created: None,
                error: Some(error),
            };
            Ok((StatusCode::BAD_REQUEST, render(&page)?).into_response())
        }
        Err(e) => Err(e),
    }
}

#[derive(Template)]
#[template(path = "admin/outbox.html")]
struct OutboxPage {
    ctx: Ctx,
    messages: Vec<headway_store::outbox::OutboxMessage>,
}

pub async fn outbox(
    State(state): State<AppState>,
    ctx: Ctx,
    _: Authorized<can::ViewOutbox>,
) -> AppResult<Response> {
    let messages = state.store.outbox(200).await?;
    Ok(render(&OutboxPage { ctx, messages })?.into_response())
}
