//! The JSON API and its OpenAPI description.

mod common;

use common::{Seed, TestApp};
use serde_json::Value;

#[tokio::test]
async fn organizations_api_searches_pages_and_errors_in_one_shape() {
    let app = TestApp::spawn(Seed::Small).await;
    let c = app.client();
    let get = |path: String| {
        let c = c.clone();
        async move {
            let res = c.get(path).send().await.unwrap();
            (res.status().as_u16(), res.json::<Value>().await.unwrap())
        }
    };
    for q in ["Sercer", "šercer", "ŠERCER"] {
        let (s, v) = get(app.url(&format!("/api/v1/organizations?q={q}"))).await;
        assert_eq!(s, 200);
        assert_eq!(v["total"], 1, "{q}");
        assert_eq!(v["items"][0]["name"], "OŠ Ljubo Šercer Kočevje");
    }
    let (_, v) = get(app.url("/api/v1/organizations?country=NO&kind=owner&page=2")).await;
    assert_eq!(v["total"], 357);
    assert_eq!(v["page"], 2);
    assert_eq!(v["items"].as_array().unwrap().len(), 50);
    let (_, v) = get(app.url("/api/v1/organizations?country=SI&kind=owner")).await;
    assert_eq!(v["total"], 212);

    let id = {
        let (_, v) = get(app.url("/api/v1/organizations?q=sercer")).await;
        v["items"][0]["id"].as_i64().unwrap()
    };
    let (s, v) = get(app.url(&format!("/api/v1/organizations/{id}"))).await;
    assert_eq!(s, 200);
    assert_eq!(v["region"], "Jugovzhodna Slovenija");
    assert_eq!(v["country"], "SI");

    for (path, code, status) in [
        ("/api/v1/organizations/999999", "not_found", 404),
        ("/api/v1/organizations/abc", "bad_request", 400),
        ("/api/v1/organizations?country=XX", "bad_request", 400),
        ("/api/v1/organizations?kind=castle", "bad_request", 400),
        ("/api/v1/organizations?page=0", "bad_request", 400),
        ("/api/v1/nothing", "not_found", 404),
    ] {
        let (s, v) = get(app.url(path)).await;
        assert_eq!(s, status, "{path}");
        assert_eq!(v["error"]["code"], code, "{path}");
        assert!(v["error"]["message"].is_string(), "{path}");
    }
}

#[tokio::test]
async fn openapi_document_is_stable() {
    let app = TestApp::spawn(Seed::Empty).await;
    let v: Value = app
        .client()
        .get(app.url("/api/openapi.json"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert!(v["paths"]["/api/v1/organizations"]["get"].is_object());
    insta::assert_json_snapshot!("openapi", v);
}
