//! Events in the web: the list, an event's page (its programme with the audience of each
//! item, and each audience's own agenda and hours), the organiser's form for a new event
//! and for the agenda, and `/api/v1/events`.

pub mod api;
pub mod calendar;
pub mod certificate;
pub mod counselling;
pub mod form;
pub mod invitations;
pub mod materials;
pub mod pages;
pub mod participation;

use crate::policy::Action;
use crate::routes::{
    delete, get, post, Access::Allowed, Access::Public, Access::SignedIn, Feature, RouteDef,
};
use crate::ui::export::{Csv, Xlsx};
use axum::routing as h;
use utoipa::OpenApi;

pub const FEATURE: Feature = Feature {
    routes,
    openapi: ApiDoc::openapi,
};

/// Coordinating some network: who may create an event (for a network they coordinate).
const CREATES: crate::routes::Access = Allowed(Action::CoordinateNetwork { coordinator: true });
/// Organising some event; the handlers ask again with the event in question.
const ORGANISES: crate::routes::Access = Allowed(Action::OrganiseEvent { organiser: true });
/// Counselling at some session; the handlers ask again with the session or slot.
const COUNSELS: crate::routes::Access = Allowed(Action::Counsel { counsellor: true });

fn routes() -> Vec<RouteDef> {
    vec![
        get("/events", Public, h::get(pages::list)),
        get("/events/new", CREATES, h::get(form::new_event)),
        post("/events", CREATES, h::post(form::create)),
        get("/events/{id}", Public, h::get(pages::event)),
        post("/events/{id}/agenda", ORGANISES, h::post(pages::add_item)),
        post(
            "/events/{id}/agenda/{item}/delete",
            ORGANISES,
            h::post(pages::remove_item),
        ),
        post(
            "/events/{id}/register",
            SignedIn,
            h::post(participation::register),
        ),
        post(
            "/events/{id}/cancel",
            SignedIn,
            h::post(participation::cancel),
        ),
        get(
            "/events/{id}/participants",
            ORGANISES,
            h::get(participation::participants),
        ),
        get(
            "/events/{id}/participants.csv",
            ORGANISES,
            h::get(participation::export::<Csv>),
        ),
        get(
            "/events/{id}/participants.xlsx",
            ORGANISES,
            h::get(participation::export::<Xlsx>),
        ),
        post(
            "/events/{id}/participants/cancel",
            ORGANISES,
            h::post(participation::cancel_for),
        ),
        post(
            "/events/{id}/attendance",
            ORGANISES,
            h::post(participation::attendance),
        ),
        post(
            "/events/{id}/capacity",
            ORGANISES,
            h::post(participation::capacity),
        ),
        get(
            "/events/{id}/calendar.ics",
            Public,
            h::get(calendar::event_ics),
        ),
        get("/calendar/{file}", Public, h::get(calendar::feed)),
        post(
            "/events/{id}/call-off",
            ORGANISES,
            h::post(participation::call_off),
        ),
        get("/me/calendar", SignedIn, h::get(calendar::feed_page)),
        post("/me/calendar", SignedIn, h::post(calendar::new_feed)),
        post(
            "/me/calendar/revoke",
            SignedIn,
            h::post(calendar::revoke_feed),
        ),
        get("/api/v1/events", Public, h::get(api::list_events)),
        post("/api/v1/events", CREATES, h::post(api::create_event)),
        get("/api/v1/events/{id}", Public, h::get(api::get_event)),
        get(
            "/api/v1/events/{id}/agenda",
            Public,
            h::get(api::get_agenda),
        ),
        post(
            "/api/v1/events/{id}/agenda",
            ORGANISES,
            h::post(api::add_item),
        ),
        post(
            "/api/v1/events/{id}/registrations",
            SignedIn,
            h::post(api::register),
        ),
        delete(
            "/api/v1/events/{id}/registrations/me",
            SignedIn,
            h::delete(api::cancel),
        ),
        // Certificates and counselling after the rest, so that the fuzz corpus's route
        // numbers of the earlier forms stay as they were.
        get(
            "/events/{id}/certificate.pdf",
            SignedIn,
            h::get(certificate::download),
        ),
        get("/certificates/{code}", Public, h::get(certificate::verify)),
        get(
            "/events/{id}/counselling",
            SignedIn,
            h::get(counselling::page),
        ),
        post(
            "/events/{id}/counselling/slots",
            COUNSELS,
            h::post(counselling::offer),
        ),
        post(
            "/events/{id}/counselling/{slot}/book",
            SignedIn,
            h::post(counselling::book),
        ),
        post(
            "/events/{id}/counselling/{slot}/release",
            SignedIn,
            h::post(counselling::release),
        ),
        post(
            "/events/{id}/counselling/{slot}/note",
            COUNSELS,
            h::post(counselling::note),
        ),
        post(
            "/events/{id}/counsellors",
            ORGANISES,
            h::post(counselling::appoint),
        ),
        get(
            "/api/v1/events/{id}/counselling",
            SignedIn,
            h::get(counselling::api_slots),
        ),
        post(
            "/api/v1/events/{id}/counselling/{slot}/booking",
            SignedIn,
            h::post(counselling::api_book),
        ),
        get(
            "/events/{id}/invitations",
            ORGANISES,
            h::get(invitations::page),
        ),
        post(
            "/events/{id}/invitations",
            ORGANISES,
            h::post(invitations::invite),
        ),
        get("/rsvp/{token}", Public, h::get(invitations::rsvp)),
        post("/rsvp/{token}", Public, h::post(invitations::answer)),
        post(
            "/events/{id}/participants/decide",
            ORGANISES,
            h::post(participation::decide),
        ),
        post(
            "/events/{id}/materials",
            SignedIn,
            h::post(materials::upload),
        )
        .uploads(),
        get(
            "/events/{id}/materials/{material}",
            SignedIn,
            h::get(materials::download),
        ),
        post(
            "/events/{id}/materials/{material}/delete",
            SignedIn,
            h::post(materials::remove),
        ),
        get(
            "/api/v1/events/{id}/materials",
            SignedIn,
            h::get(materials::api_list),
        ),
    ]
}

#[derive(OpenApi)]
#[openapi(
    paths(
        api::list_events,
        api::create_event,
        api::get_event,
        api::get_agenda,
        api::add_item,
        api::register,
        api::cancel,
        counselling::api_slots,
        materials::api_list,
        counselling::api_book
    ),
    components(schemas(
        api::EventDto,
        api::EventDetailDto,
        api::AudienceDto,
        api::AgendaItemDto,
        api::AgendaDto,
        api::EventRequest,
        api::ItemRequest,
        api::CreatedDto,
        api::RegisterRequest,
        api::RegistrationDto,
        counselling::SlotDto,
        materials::MaterialDto
    )),
    tags((name = "events", description = "Gatherings, counselling sessions, trainings: times in their zone, audiences and each audience's agenda"))
)]
pub struct ApiDoc;
