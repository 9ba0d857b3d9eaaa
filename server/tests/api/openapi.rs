//! The served OpenAPI document: well formed, self-consistent, and describing routes that exist.

use crate::helpers::{json, spawn_app_with, Options};
use reqwest::{Method, StatusCode};
use serde_json::Value;

async fn served_document() -> (crate::helpers::TestApp, Value) {
    let app = spawn_app_with(Options { demo: false }).await;
    let response = app.get("/api/openapi.json").await;
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(
        response.headers()["content-type"].to_str().unwrap(),
        "application/json"
    );
    let document = json(response).await;
    (app, document)
}

fn operations(document: &Value) -> Vec<(Method, String, Value)> {
    let mut found = Vec::new();
    for (path, item) in document["paths"].as_object().expect("paths") {
        for (method, operation) in item.as_object().expect("path item") {
            let method = Method::from_bytes(method.to_uppercase().as_bytes()).expect("method");
            found.push((method, path.clone(), operation.clone()));
        }
    }
    found
}

fn collect_refs<'a>(value: &'a Value, refs: &mut Vec<&'a str>) {
    match value {
        Value::Object(map) => {
            for (key, inner) in map {
                match (key.as_str(), inner) {
                    ("$ref", Value::String(target)) => refs.push(target),
                    _ => collect_refs(inner, refs),
                }
            }
        }
        Value::Array(items) => items.iter().for_each(|inner| collect_refs(inner, refs)),
        _ => {}
    }
}

#[tokio::test]
async fn the_document_is_openapi_3_1_with_every_api_area_tagged() {
    let (_app, document) = served_document().await;
    assert_eq!(document["openapi"], "3.1.0");
    assert_eq!(document["info"]["title"], "中介超市 API");
    let tags: Vec<&str> = document["tags"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["name"].as_str().unwrap())
        .collect();
    for (_, _, operation) in operations(&document) {
        let tag = operation["tags"][0].as_str().unwrap();
        assert!(tags.contains(&tag), "undeclared tag {tag}");
    }
    for needed in [
        "/api/jobs/{id}/bids",
        "/api/ocds/releases",
        "/api/openapi.json",
    ] {
        assert!(document["paths"].get(needed).is_some(), "{needed} missing");
    }
}

#[tokio::test]
async fn every_reference_in_the_document_resolves() {
    let (_app, document) = served_document().await;
    let mut refs = Vec::new();
    collect_refs(&document, &mut refs);
    assert!(refs.len() > 100, "only {} references", refs.len());
    for target in refs {
        let pointer = target.strip_prefix('#').expect("local reference");
        assert!(
            document.pointer(pointer).is_some(),
            "{target} points at nothing"
        );
    }
}

#[tokio::test]
async fn every_documented_operation_is_served_by_a_handler() {
    let (app, document) = served_document().await;
    let operations = operations(&document);
    assert!(operations.len() >= 79, "{} operations", operations.len());
    for (method, path, _) in operations {
        let url = path
            .replace("{ocid}", "ocds-yz0zjc-1")
            .replace("{table}", "by_month")
            .replace("{number}", "SP-2026-0001")
            .replace("{id}", "1")
            .replace("{objection_id}", "1")
            .replace("{step}", "accept");
        let mut request = app.client.request(method.clone(), app.url(&url));
        if method != Method::GET {
            request = request
                .header("X-Requested-With", "market-app")
                .json(&serde_json::json!({}));
        }
        let response = request.send().await.expect("request");
        let status = response.status();
        assert_ne!(status, StatusCode::METHOD_NOT_ALLOWED, "{method} {path}");
        if status == StatusCode::NOT_FOUND {
            let body: Value = json(response).await;
            assert_ne!(
                body["error"]["code"], "unknown_endpoint",
                "{method} {path} is documented but not routed"
            );
        }
    }
}

#[tokio::test]
async fn state_changing_operations_document_the_csrf_header_and_every_operation_its_errors() {
    let (_app, document) = served_document().await;
    for (method, path, operation) in operations(&document) {
        let parameters: Vec<&str> = operation["parameters"]
            .as_array()
            .map(|list| list.iter().filter_map(|p| p["$ref"].as_str()).collect())
            .unwrap_or_default();
        let asks_for_csrf = parameters.contains(&"#/components/parameters/CsrfHeader");
        let expected = method != Method::GET && !path.starts_with("/api/integrations/");
        assert_eq!(asks_for_csrf, expected, "{method} {path}");
        assert_eq!(
            operation["responses"]["default"]["$ref"], "#/components/responses/Error",
            "{method} {path}"
        );
    }
    assert_eq!(
        document["components"]["parameters"]["CsrfHeader"]["name"],
        "x-requested-with"
    );
}

#[tokio::test]
async fn catalogue_enums_are_documented_with_the_codes_the_server_sends() {
    let (app, document) = served_document().await;
    let schemas = &document["components"]["schemas"];
    let services: Vec<&str> = schemas["ServiceType"]["enum"]
        .as_array()
        .expect("ServiceType is an enum")
        .iter()
        .filter_map(Value::as_str)
        .collect();
    assert!(services.contains(&"env_impact"), "{services:?}");
    assert!(!services.contains(&"EnvironmentalImpact"));
    let districts = schemas["District"]["enum"].as_array().expect("District");
    assert!(districts.contains(&Value::from("dongchuan")));

    // What the server sends is among what the document allows.
    let items: Value = json(app.get("/api/approval-items").await).await;
    let sent: Vec<Value> = items
        .as_array()
        .expect("a list")
        .iter()
        .flat_map(|item| {
            item["required_services"]
                .as_array()
                .cloned()
                .expect("services")
        })
        .collect();
    assert!(!sent.is_empty());
    for code in sent {
        assert!(services.contains(&code.as_str().unwrap()), "{code}");
    }
}

#[tokio::test]
async fn paging_parameters_declare_the_bounds_the_server_enforces() {
    let (app, document) = served_document().await;
    let param = |path: &str, name: &str| -> Value {
        document["paths"][path]["get"]["parameters"]
            .as_array()
            .expect("parameters")
            .iter()
            .find(|p| p["name"] == name)
            .unwrap_or_else(|| panic!("{path} {name}"))["schema"]
            .clone()
    };
    let max_page = market_domain::wire::MAX_PAGE;
    let max_per_page = market_domain::wire::MAX_PER_PAGE;
    for (path, name, max) in [
        ("/api/agencies", "page", max_page),
        ("/api/agencies", "per_page", max_per_page),
        ("/api/jobs", "page", max_page),
        ("/api/jobs", "per_page", max_per_page),
        ("/api/ocds/releases", "limit", 200),
    ] {
        let schema = param(path, name);
        assert_eq!(schema["minimum"], 1, "{path} {name}: {schema}");
        assert_eq!(schema["maximum"], max, "{path} {name}: {schema}");
        // Just past the declared maximum is refused, at the maximum accepted; every list
        // refuses with the same status.
        let over = app.get(&format!("{path}?{name}={}", max + 1)).await;
        assert_eq!(
            over.status(),
            StatusCode::UNPROCESSABLE_ENTITY,
            "{path} {name}"
        );
        let at = app.get(&format!("{path}?{name}={max}")).await;
        assert_eq!(at.status(), StatusCode::OK, "{path} {name}");
        let zero = app.get(&format!("{path}?{name}=0")).await;
        assert_eq!(
            zero.status(),
            StatusCode::UNPROCESSABLE_ENTITY,
            "{path} {name}=0"
        );
    }
}

#[tokio::test]
async fn request_bodies_declare_the_lengths_and_ranges_the_domain_enforces() {
    let (app, document) = served_document().await;
    let schemas = &document["components"]["schemas"];
    for (schema, field, keyword, value) in [
        ("RegisterRequest", "username", "minLength", 3),
        ("RegisterRequest", "username", "maxLength", 32),
        ("RegisterRequest", "password", "minLength", 8),
        ("RegisterRequest", "organization_name", "minLength", 2),
        ("JobDraft", "project_name", "minLength", 2),
        ("JobDraft", "scope", "minLength", 10),
        ("JobDraft", "fiscal_percent", "maximum", 100),
        ("JobDraft", "publicity_days", "maximum", 30),
        ("BidRequest", "price", "minimum", 1),
        ("BidRequest", "proposal", "maxLength", 5000),
        ("ObjectionRequest", "reason", "minLength", 5),
        ("RatingRequest", "quality", "minimum", 1),
        ("RatingRequest", "integrity", "maximum", 5),
        ("ComplaintDraft", "description", "minLength", 20),
        ("NewToken", "name", "maxLength", 50),
        ("CancelRequest", "reason", "minLength", 2),
    ] {
        assert_eq!(
            schemas[schema]["properties"][field][keyword], value,
            "{schema}.{field} {keyword}: {}",
            schemas[schema]["properties"][field]
        );
    }
    // The server refuses just below what the document allows, as a field error.
    let mut short = crate::helpers::enterprise_registration("ab");
    let refused = app.register(&short).await;
    assert_eq!(refused.status(), StatusCode::UNPROCESSABLE_ENTITY);
    short.username = "abc".into();
    short.password = "Ab1!xyz".into();
    let refused = app.register(&short).await;
    assert_eq!(refused.status(), StatusCode::UNPROCESSABLE_ENTITY);
}

#[tokio::test]
async fn the_notification_stream_documents_each_event_with_the_json_its_data_holds() {
    let (_app, document) = served_document().await;
    let stream = &document["paths"]["/api/notifications/stream"]["get"]["responses"]["200"]
        ["content"]["text/event-stream"]["schema"];
    let event = &document["components"]["schemas"][stream["$ref"]
        .as_str()
        .expect("a named schema")
        .rsplit('/')
        .next()
        .unwrap()];
    let branches = event["oneOf"]
        .as_array()
        .expect("one branch per event name");
    let mut documented = Vec::new();
    for branch in branches {
        let name = branch["properties"]["event"]["enum"][0].as_str().unwrap();
        let data = &branch["properties"]["data"];
        assert_eq!(data["type"], "string", "{name}: data is text");
        assert_eq!(data["contentMediaType"], "application/json", "{name}");
        documented.push((name.to_owned(), data["contentSchema"]["$ref"].clone()));
    }
    assert_eq!(
        documented,
        [
            (
                "unread".to_owned(),
                Value::from("#/components/schemas/UnreadCount")
            ),
            (
                "notification".to_owned(),
                Value::from("#/components/schemas/PushedNotification")
            ),
        ]
    );
}
