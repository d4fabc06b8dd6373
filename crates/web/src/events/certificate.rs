//! Certificates of attendance: a participant marked present downloads a one-page PDF in
//! their language (DejaVu Sans embedded and subset by krilla, so č, š, ž, æ, ø and å print
//! everywhere), and anyone holding the paper checks it at `/certificates/{code}`, which
//! confirms a real code and refuses any other.

use super::participation::person_of;
use crate::http::authorize::SignedIn;
use crate::http::error::{AppError, AppResult, ValidPath};
use crate::ui::i18n::Tr;
use crate::ui::{dates, render, Ctx};
use crate::AppState;
use askama::Template;
use axum::extract::State;
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{Html, IntoResponse, Response};
use chrono::NaiveDateTime;
use headway_domain::events::certificate::CertificateCode;
use headway_store::events::{Certificate, Certificates};
use krilla::color::rgb;
use krilla::geom::{PathBuilder, Point, Rect};
use krilla::metadata::Metadata;
use krilla::page::PageSettings;
use krilla::paint::Stroke;
use krilla::text::{Font, TextDirection};
use krilla::Document;

use crate::ui::pdf::{ink, wrap, HEIGHT, MARGIN, WIDTH};

/// The base of the verification link: the configured public address, else the address the
/// request came to.
fn base(state: &AppState, headers: &HeaderMap) -> String {
    if let Some(u) = &state.config.public_url {
        return u.trim_end_matches('/').to_owned();
    }
    let host = headers
        .get(header::HOST)
        .and_then(|h| h.to_str().ok())
        .unwrap_or(&state.config.listen);
    let scheme = if state.config.secure_cookies {
        "https"
    } else {
        "http"
    };
    format!("{scheme}://{host}")
}

fn local(s: &str) -> Option<NaiveDateTime> {
    NaiveDateTime::parse_from_str(s, "%Y-%m-%dT%H:%M").ok()
}

/// "28 January 2020, 09:00–16:00" (or two dates for several days), in the reader's language.
pub fn when(tr: &Tr, c: &Certificate) -> String {
    match (local(&c.from_local), local(&c.to_local)) {
        (Some(a), Some(b)) if a.date() == b.date() => format!(
            "{}, {}–{}",
            dates::date(tr, a.date()),
            a.format("%H:%M"),
            b.format("%H:%M")
        ),
        (Some(a), Some(b)) => format!(
            "{} – {}",
            dates::date(tr, a.date()),
            dates::date(tr, b.date())
        ),
        _ => c.from_local.clone(),
    }
}

/// A number of hours or points as people write it: `7`, `4.5`.
fn figure(x: f64) -> String {
    let s = format!("{x:.2}");
    s.trim_end_matches('0').trim_end_matches('.').to_owned()
}

/// Where the next line goes: lines run down the page from the left margin.
struct Pen {
    y: f32,
}

impl Pen {
    fn line(
        &mut self,
        s: &mut krilla::surface::Surface<'_>,
        font: &Font,
        size: f32,
        text: &str,
        gap: f32,
    ) {
        s.draw_text(
            Point::from_xy(MARGIN, self.y),
            font.clone(),
            size,
            text,
            false,
            TextDirection::Auto,
        );
        self.y += gap;
    }
}

/// The certificate as a one-page A4 PDF in `tr`'s language.
pub fn pdf(tr: &Tr, c: &Certificate, verify_url: &str) -> AppResult<Vec<u8>> {
    let (regular, bold) = crate::ui::pdf::fonts()?;
    let name = format!("{} {}", c.given_name, c.family_name);
    let mut doc = Document::new();
    doc.set_metadata(
        Metadata::new()
            .title(format!("{} — {name}", tr.t("cert-heading")))
            .language(tr.lang.code().to_owned())
            .creator("Headway".into()),
    );
    let settings =
        PageSettings::from_wh(WIDTH, HEIGHT).ok_or_else(|| AppError::internal("page size"))?;
    let mut page = doc.start_page_with(settings);
    let mut s = page.surface();
    // A frame and a rule under the heading.
    let mut frame = PathBuilder::new();
    if let Some(r) = Rect::from_xywh(32.0, 32.0, WIDTH - 64.0, HEIGHT - 64.0) {
        frame.push_rect(r);
    }
    if let Some(path) = frame.finish() {
        s.set_fill(None);
        s.set_stroke(Some(Stroke {
            paint: rgb::Color::new(31, 78, 121).into(),
            width: 1.5,
            ..Default::default()
        }));
        s.draw_path(&path);
        s.set_stroke(None);
    }
    let mut pen = Pen { y: 140.0 };
    s.set_fill(ink(31, 78, 121));
    pen.line(&mut s, &bold, 26.0, &tr.t("cert-heading"), 60.0);
    s.set_fill(ink(20, 20, 20));
    pen.line(&mut s, &regular, 13.0, &tr.t("cert-states"), 34.0);
    pen.line(&mut s, &bold, 22.0, &name, 36.0);
    pen.line(&mut s, &regular, 13.0, &tr.t("cert-took-part"), 30.0);
    for l in wrap(&c.event_title, 42) {
        pen.line(&mut s, &bold, 17.0, &l, 24.0);
    }
    pen.y += 16.0;
    let mut facts = vec![
        tr.args(
            "cert-when",
            &[("when", &when(tr, c)), ("zone", &c.time_zone)],
        ),
        tr.args("cert-audience", &[("audience", &c.audience)]),
        tr.args("cert-hours", &[("hours", &figure(c.hours))]),
    ];
    if !c.place.is_empty() {
        facts.insert(1, tr.args("cert-place", &[("place", &c.place)]));
    }
    if let Some((title, hours, points)) = &c.offer {
        facts.push(tr.args(
            "cert-offer",
            &[
                ("offer", title),
                ("points", &figure(*points)),
                ("hours", &figure(*hours)),
            ],
        ));
    }
    for f in &facts {
        for l in wrap(f, 70) {
            pen.line(&mut s, &regular, 12.0, &l, 20.0);
        }
    }
    pen.y = HEIGHT - 150.0;
    s.set_fill(ink(80, 80, 80));
    for l in wrap(&tr.args("cert-verify", &[("code", &c.code)]), 80) {
        pen.line(&mut s, &regular, 10.0, &l, 16.0);
    }
    pen.line(&mut s, &regular, 10.0, verify_url, 16.0);
    s.finish();
    page.finish();
    doc.finish()
        .map_err(|e| AppError::internal(format!("writing the certificate: {e:?}")))
}

/// `GET /events/{id}/certificate.pdf`: the signed-in participant's own certificate, once
/// they were marked present.
pub async fn download(
    State(state): State<AppState>,
    ctx: Ctx,
    SignedIn(me): SignedIn,
    ValidPath(id): ValidPath<i32>,
    headers: HeaderMap,
) -> AppResult<Response> {
    let person = person_of(&me)?;
    let c = state
        .store
        .certificate(id, person)
        .await?
        .ok_or_else(|| AppError::not_found_because(ctx.t("cert-none")))?;
    let url = format!("{}/certificates/{}", base(&state, &headers), c.code);
    let bytes = pdf(&ctx.tr, &c, &url)?;
    Ok((
        [
            (header::CONTENT_TYPE, "application/pdf".to_owned()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"certificate-{id}.pdf\""),
            ),
        ],
        bytes,
    )
        .into_response())
}

#[derive(Template)]
#[template(path = "events/verify.html")]
struct VerifyPage {
    ctx: Ctx,
    code: String,
    c: Option<Certificate>,
    when: String,
}

impl VerifyPage {
    fn figure(&self, x: &f64) -> String {
        figure(*x)
    }
}

/// `GET /certificates/{code}`: confirms a certificate (its holder, event, dates and hours),
/// or says no certificate has the code — 404, the same for a malformed and a made-up code.
pub async fn verify(
    State(state): State<AppState>,
    ctx: Ctx,
    ValidPath(code): ValidPath<String>,
) -> AppResult<Response> {
    let found = match CertificateCode::parse("code", &code) {
        Ok(c) => state.store.verify_certificate(&c).await?,
        Err(_) => None,
    };
    let when = found.as_ref().map(|c| when(&ctx.tr, c)).unwrap_or_default();
    let status = if found.is_some() {
        StatusCode::OK
    } else {
        StatusCode::NOT_FOUND
    };
    let shown: String = code.chars().take(20).collect();
    let page: Html<String> = render(&VerifyPage {
        ctx,
        code: shown,
        c: found,
        when,
    })?;
    Ok((status, page).into_response())
}
