//! An event's materials in the web: its organisers and participants (a confirmed
//! registration, or a counsellor of the session) attach slides and good-practice
//! descriptions to the event or an agenda item, see and download them; whoever attached
//! one, or an organiser, removes it. Anyone else is answered as if there were none.

use super::pages::organises;
use crate::http::authorize::SignedIn;
use crate::http::error::{AppError, AppResult, ErrorBody, ValidPath};
use crate::policy::{allows, Action};
use crate::AppState;
use axum::extract::{Multipart, State};
use axum::http::header;
use axum::response::{IntoResponse, Redirect, Response};
use axum::Json;
use headway_domain::events::participation::RegStatus;
use headway_domain::memberships::{ContextRole, Memberships};
use headway_store::accounts::Account;
use headway_store::events::{
    EventDetail, Events, MaterialRow, Materials, NewMaterial, RegistrationRow, Registrations,
};
use serde::Serialize;
use utoipa::ToSchema;

/// Whether `me` takes part in event `id`: confirmed (`mine`), or counselling at it.
pub(crate) fn takes_part(me: &Account, id: i32, mine: Option<&RegistrationRow>) -> bool {
    me.holds(ContextRole::EventCounsellor, id)
        || mine.is_some_and(|r| r.status == RegStatus::Confirmed)
}

/// `me`'s relation to the event's materials: (organiser, participant).
async fn relation(state: &AppState, me: &Account, e: &EventDetail) -> AppResult<(bool, bool)> {
    let organiser = organises(state, me, e).await?;
    let mine = match me.person_id {
        Some(p) => state.store.registration(e.summary.id, p).await?,
        None => None,
    };
    Ok((organiser, takes_part(me, e.summary.id, mine.as_ref())))
}

/// The event, when `me` may see and attach its materials; else "not found".
async fn shared_with(state: &AppState, me: &Account, id: i32) -> AppResult<(EventDetail, bool)> {
    let e = state.store.event(id).await?;
    let (organiser, participant) = relation(state, me, &e).await?;
    if allows(
        Some(me),
        Action::ShareMaterials {
            organiser,
            participant,
        },
    ) {
        Ok((e, organiser))
    } else {
        Err(AppError::not_found())
    }
}

/// Attaches one file (multipart: `file`, `title`, `agenda_item_id`); the CSRF token comes
/// in the query string, as for evidence.
pub async fn upload(
    State(state): State<AppState>,
    SignedIn(me): SignedIn,
    ValidPath(id): ValidPath<i32>,
    mut mp: Multipart,
) -> AppResult<Redirect> {
    shared_with(&state, &me, id).await?;
    let bad = |m: String| AppError::bad_request(m);
    let mut m = NewMaterial {
        agenda_item: None,
        title: String::new(),
        file_name: String::new(),
        content_type: String::new(),
        bytes: Vec::new(),
    };
    while let Some(field) = mp
        .next_field()
        .await
        .map_err(|e| bad(format!("form: {e}")))?
    {
        match field.name().unwrap_or("") {
            "file" => {
                m.file_name = field.file_name().unwrap_or("").to_owned();
                m.content_type = field
                    .content_type()
                    .unwrap_or("application/octet-stream")
                    .to_owned();
                m.bytes = field
                    .bytes()
                    .await
                    .map_err(|e| bad(format!("file: {e}")))?
                    .to_vec();
            }
            "title" => m.title = field.text().await.map_err(|e| bad(format!("title: {e}")))?,
            "agenda_item_id" => {
                let v = field
                    .text()
                    .await
                    .map_err(|e| bad(format!("agenda_item_id: {e}")))?;
                m.agenda_item = headway_domain::input::record_id("agenda_item_id", &v)?;
            }
            _ => {}
        }
    }
    state
        .store
        .attach_material(&me.username, id, me.person_id, m)
        .await?;
    Ok(Redirect::to(&format!("/events/{id}#materials")))
}

/// Downloads a material, always as an attachment.
pub async fn download(
    State(state): State<AppState>,
    SignedIn(me): SignedIn,
    ValidPath((id, material)): ValidPath<(i32, i32)>,
) -> AppResult<Response> {
    shared_with(&state, &me, id).await?;
    let (m, bytes) = state.store.material_content(id, material).await?;
    Ok((
        [
            (header::CONTENT_TYPE, m.content_type),
            (
                header::CONTENT_DISPOSITION,
                crate::ui::export::attachment(&m.file_name),
            ),
        ],
        bytes,
    )
        .into_response())
}

/// Removes a material: an organiser, or whoever attached it.
pub async fn remove(
    State(state): State<AppState>,
    SignedIn(me): SignedIn,
    ValidPath((id, material)): ValidPath<(i32, i32)>,
) -> AppResult<Redirect> {
    let (_, organiser) = shared_with(&state, &me, id).await?;
    let m = state.store.material(id, material).await?;
    let own = m.uploaded_by == me.username;
    if !allows(Some(&me), Action::RemoveMaterial { organiser, own }) {
        return Err(AppError::forbidden());
    }
    state
        .store
        .remove_material(&me.username, id, material)
        .await?;
    Ok(Redirect::to(&format!("/events/{id}#materials")))
}

/// A material of an event.
#[derive(Debug, Serialize, ToSchema)]
pub struct MaterialDto {
    pub id: i32,
    /// The agenda item it belongs to; none: the whole event.
    pub agenda_item_id: Option<i32>,
    pub title: String,
    pub file_name: String,
    pub content_type: String,
    pub size: i64,
    /// Who attached it.
    pub by: String,
    pub created_at: String,
    /// Where to download it (signed in as one who may).
    pub url: String,
}

fn dto(id: i32, m: MaterialRow) -> MaterialDto {
    MaterialDto {
        url: format!("/events/{id}/materials/{}", m.id),
        id: m.id,
        agenda_item_id: m.agenda_item_id,
        title: m.title,
        file_name: m.file_name,
        content_type: m.content_type,
        size: m.size,
        by: m.by,
        created_at: m.created_at,
    }
}

/// The event's materials, for its organisers and participants.
#[utoipa::path(
    get,
    path = "/api/v1/events/{id}/materials",
    tag = "events",
    params(("id" = i32, Path, description = "Event id")),
    responses(
        (status = 200, description = "The materials in the order they came", body = [MaterialDto]),
        (status = 400, description = "A value does not parse", body = ErrorBody),
        (status = 401, description = "Not signed in", body = ErrorBody),
        (status = 404, description = "No such event, or not one the caller organises or takes part in", body = ErrorBody),
    )
)]
pub async fn api_list(
    State(state): State<AppState>,
    SignedIn(me): SignedIn,
    ValidPath(id): ValidPath<i32>,
) -> AppResult<Json<Vec<MaterialDto>>> {
    shared_with(&state, &me, id).await?;
    let rows = state.store.materials(id).await?;
    Ok(Json(rows.into_iter().map(|m| dto(id, m)).collect()))
}
