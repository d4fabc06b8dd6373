//! Guidance in the web: published indicators with suppression (anyone), the assessment
//! (the agency's coordinators only), on pages and in the API.

mod common;

use common::*;
use headway_domain::accounts::Role;
use serde_json::Value;

async fn app() -> TestApp {
    let app = TestApp::spawn(Seed::Small).await;
    app.import_indicators().await;
    app
}

#[tokio::test]
async fn anyone_sees_published_indicators_with_hidden_cells_marked_as_such() {
    let app = app().await;
    let c = app.client();
    // Engerdal, a small municipality: its withheld values are shown as withheld, never as
    // numbers.
    let page = app.html(&c, "/indicators?unit=no:kommune:3425").await;
    assert!(page.contains("<h1>Engerdal</h1>"), "{page}");
    assert!(page.contains("withheld by the source"));
    let lillestrom = app.html(&c, "/indicators?unit=no:kommune:3205").await;
    assert!(
        lillestrom.contains("<svg"),
        "the profile against the nation"
    );
    assert!(lillestrom.contains("Lillestrøm against the nation, 2025-26"));
    assert!(
        lillestrom.contains("<h2>The units it is made of</h2>"),
        "its schools"
    );
    let api: Vec<Value> = c
        .get(app.url("/api/v1/indicators?unit=no:kommune:3425&period=2022-23"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(api.len(), 6, "three subjects in two grades");
    let reading8 = api
        .iter()
        .find(|v| v["indicator"] == "np_reading_8")
        .unwrap();
    assert_eq!(reading8["hidden"], "source");
    assert!(reading8["value"].is_null() && reading8["count"].is_null());
    assert_eq!(reading8["national"], 50.0);
    // Innlandet's view of 2022-23 marks a second municipality as protected, so Engerdal's
    // 7 pupils no longer follow from the county's total.
    let county = app
        .html(&c, "/indicators?unit=no:fylke:34&period=2022-23")
        .await;
    assert!(
        county.contains("Engerdal"),
        "the county lists its municipalities"
    );
    assert!(
        county.contains("protected"),
        "a secondary suppression is shown"
    );
    let counts: Vec<Value> = c
        .get(app.url("/api/v1/indicators?unit=no:fylke:34&indicator=np_reading_8&period=2022-23"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(counts.len(), 1);
    assert!(counts[0]["count"].as_u64().unwrap() > 1_000);
    // By directory organisation.
    let engerdal = org_id(&app, "no:kommune:3425").await;
    let by_org: Vec<Value> = c
        .get(app.url(&format!("/api/v1/indicators?organization={engerdal}")))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert!(by_org.iter().all(|v| v["unit"] == "no:kommune:3425"));
    assert_eq!(by_org.len(), 24, "6 indicators × 4 school years");
    // Bad parameters are named; a unit without values is not found.
    for (q, field) in [
        ("unit=no:kommune:34", "unit"),
        ("indicator=np_history_5", "indicator"),
        ("period=2024", "period"),
    ] {
        let res = c
            .get(app.url(&format!("/api/v1/indicators?{q}")))
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 400, "{q}");
        let body: Value = res.json().await.unwrap();
        let message = body["error"]["message"].as_str().unwrap();
        assert!(message.starts_with(&format!("{field}:")), "{body}");
    }
    assert_eq!(
        status(&c, app.url("/indicators?unit=no:kommune:9999")).await,
        404
    );
    assert_eq!(
        status(&c, app.url("/api/v1/indicators?organization=999999")).await,
        404
    );
}

#[tokio::test]
async fn only_the_agencys_coordinators_see_the_assessment_and_every_point_is_explained() {
    let app = app().await;
    new_account(&app, "coordinator", Role::Coordinator, None).await;
    new_account(&app, "advisor", Role::Advisor, None).await;
    let anonymous = app.client();
    assert_eq!(
        status(&anonymous, app.url("/api/v1/guidance/assessment")).await,
        401
    );
    let advisor = app.client();
    app.login(&advisor, "advisor").await;
    assert_eq!(status(&advisor, app.url("/guidance/assessment")).await, 403);
    assert_eq!(
        status(&advisor, app.url("/api/v1/guidance/assessment")).await,
        403
    );

    let c = app.client();
    app.login(&c, "coordinator").await;
    let page = app.html(&c, "/guidance/assessment").await;
    assert!(page.contains("Assessment for guidance 2025-26"), "{page}");
    assert_eq!(page.matches("/guidance/assessment/").count(), 357);
    assert!(page.contains("Category 1"));
    let a: Value = c
        .get(app.url("/api/v1/guidance/assessment?period=2025-26"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(
        a["years"],
        serde_json::json!(["2023-24", "2024-25", "2025-26"])
    );
    assert_eq!(a["rules"]["first_count"], 30);
    let list = a["municipalities"].as_array().unwrap();
    assert_eq!(list.len(), 357);
    let first = &list[0];
    assert_eq!(
        (first["rank"].as_u64(), first["category"].as_str()),
        (Some(1), Some("1"))
    );
    let code = first["unit"]
        .as_str()
        .unwrap()
        .trim_start_matches("no:kommune:")
        .to_owned();
    let points = first["points"].as_array().unwrap();
    assert!(!points.is_empty());
    for p in points {
        let e = p["explanation"].as_str().unwrap();
        assert!(e.contains(p["year"].as_str().unwrap()), "{e}");
    }
    // The municipality's own page explains each point in the reader's language.
    let detail = app
        .html(
            &c,
            &format!("/guidance/assessment/{code}?period=2025-26&lang=nb"),
        )
        .await;
    assert!(detail.contains("Hvert poeng forklart"), "{detail}");
    assert!(detail.contains("landet 50"), "{detail}");
    assert_eq!(status(&c, app.url("/guidance/assessment/0000")).await, 404);
    assert_eq!(
        status(&c, app.url("/guidance/assessment?period=2025-27")).await,
        400
    );
}
