//! Open data: OCDS 1.1 releases checked against the standard's required fields and codelists,
//! sealed bids kept out until opening, the change feed's cursor, and the record package.

use crate::helpers::*;
use crate::jobs::{agencies, bid, job_draft, pass_deadline, published_job};
use market_domain::selection::SelectionMethod;
use reqwest::StatusCode;
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet};
use time::format_description::well_known::Rfc3339;

/// The OCDS 1.1 release schema's required fields, closed codelists and references, written from
/// the published standard (release-schema.json 1.1.5) plus the bid extension's `bids.details`.
fn assert_valid_release(release: &Value) {
    let text = release.to_string();
    let field = |value: &Value, name: &str| -> Value {
        value
            .get(name)
            .cloned()
            .unwrap_or_else(|| panic!("missing required `{name}` in {text}"))
    };
    let string = |value: &Value, name: &str| -> String {
        field(value, name)
            .as_str()
            .unwrap_or_else(|| panic!("`{name}` must be a string in {text}"))
            .to_owned()
    };
    let date_time = |value: &str| {
        time::OffsetDateTime::parse(value, &Rfc3339)
            .unwrap_or_else(|_| panic!("`{value}` is not an RFC 3339 date-time"));
    };
    let in_codelist = |value: &str, codelist: &[&str], name: &str| {
        assert!(
            codelist.contains(&value),
            "`{name}` = {value} is not in its codelist"
        );
    };
    let allowed = [
        "ocid",
        "id",
        "date",
        "tag",
        "initiationType",
        "parties",
        "buyer",
        "planning",
        "tender",
        "awards",
        "contracts",
        "language",
        "relatedProcesses",
        "bids",
    ];
    for key in release.as_object().expect("a release is an object").keys() {
        assert!(
            allowed.contains(&key.as_str()),
            "unknown release field `{key}`"
        );
    }
    assert!(string(release, "ocid").starts_with("ocds-"));
    assert!(!string(release, "id").is_empty());
    date_time(&string(release, "date"));
    let tags = field(release, "tag");
    let tags = tags.as_array().expect("tag is an array");
    assert!(!tags.is_empty());
    for tag in tags {
        in_codelist(
            tag.as_str().unwrap(),
            &[
                "planning",
                "planningUpdate",
                "tender",
                "tenderAmendment",
                "tenderUpdate",
                "tenderCancellation",
                "award",
                "awardUpdate",
                "awardCancellation",
                "contract",
                "contractUpdate",
                "contractAmendment",
                "implementation",
                "implementationUpdate",
                "contractTermination",
                "compiled",
            ],
            "tag",
        );
    }
    assert_eq!(string(release, "initiationType"), "tender");

    let mut parties: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for party in field(release, "parties").as_array().unwrap() {
        let roles: Vec<String> = field(party, "roles")
            .as_array()
            .unwrap()
            .iter()
            .map(|r| r.as_str().unwrap().to_owned())
            .collect();
        for role in &roles {
            in_codelist(
                role,
                &[
                    "buyer",
                    "procuringEntity",
                    "supplier",
                    "tenderer",
                    "funder",
                    "enquirer",
                    "payer",
                    "payee",
                    "reviewBody",
                    "interestedParty",
                ],
                "parties.roles",
            );
        }
        string(party, "name");
        parties.insert(string(party, "id"), roles);
    }
    let reference = |org: &Value, role: &str| {
        let id = string(org, "id");
        string(org, "name");
        let roles = parties
            .get(&id)
            .unwrap_or_else(|| panic!("reference {id} has no party in {text}"));
        assert!(
            roles.iter().any(|r| r == role),
            "party {id} lacks role {role}"
        );
    };
    reference(&field(release, "buyer"), "buyer");
    let value = |v: &Value| {
        assert!(field(v, "amount").is_number());
        assert_eq!(string(v, "currency"), "CNY");
    };

    let tender = field(release, "tender");
    string(&tender, "id");
    in_codelist(
        &string(&tender, "status"),
        &[
            "planning",
            "planned",
            "active",
            "cancelled",
            "unsuccessful",
            "complete",
            "withdrawn",
        ],
        "tender.status",
    );
    value(&field(&tender, "value"));
    in_codelist(
        &string(&tender, "procurementMethod"),
        &["open", "selective", "limited", "direct"],
        "tender.procurementMethod",
    );
    if let Some(criteria) = tender.get("awardCriteria") {
        in_codelist(
            criteria.as_str().unwrap(),
            &[
                "priceOnly",
                "costOnly",
                "qualityOnly",
                "ratedCriteria",
                "lowestCost",
                "bestProposal",
                "bestValueToGovernment",
                "singleBidOnly",
            ],
            "tender.awardCriteria",
        );
    }
    in_codelist(
        &string(&tender, "mainProcurementCategory"),
        &["goods", "works", "services"],
        "tender.mainProcurementCategory",
    );
    for item in field(&tender, "items").as_array().unwrap() {
        string(item, "id");
    }
    if let Some(period) = tender.get("tenderPeriod") {
        for key in ["startDate", "endDate"] {
            if let Some(date) = period.get(key) {
                date_time(date.as_str().unwrap());
            }
        }
    }
    for tenderer in tender
        .get("tenderers")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
    {
        reference(tenderer, "tenderer");
    }
    let mut award_ids = BTreeSet::new();
    for award in release
        .get("awards")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
    {
        award_ids.insert(string(award, "id"));
        in_codelist(
            &string(award, "status"),
            &["pending", "active", "cancelled", "unsuccessful"],
            "awards.status",
        );
        value(&field(award, "value"));
        for supplier in field(award, "suppliers").as_array().unwrap() {
            reference(supplier, "supplier");
        }
    }
    for contract in release
        .get("contracts")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
    {
        string(contract, "id");
        assert!(
            award_ids.contains(&string(contract, "awardID")),
            "awardID must name an award"
        );
        in_codelist(
            &string(contract, "status"),
            &["pending", "active", "cancelled", "terminated"],
            "contracts.status",
        );
        value(&field(contract, "value"));
    }
    if let Some(bids) = release.get("bids") {
        for detail in field(bids, "details").as_array().unwrap() {
            string(detail, "id");
            date_time(&string(detail, "date"));
            in_codelist(
                &string(detail, "status"),
                &["invited", "pending", "valid", "disqualified", "withdrawn"],
                "bids.details.status",
            );
            value(&field(detail, "value"));
            for tenderer in field(detail, "tenderers").as_array().unwrap() {
                reference(tenderer, "tenderer");
            }
        }
    }
}

/// A feed page by path, or by the absolute URL a `links.next` gives.
async fn page(app: &TestApp, path: &str) -> Value {
    let path = path.strip_prefix(&app.address).unwrap_or(path);
    assert!(path.starts_with('/'), "links point at this server: {path}");
    let response = app.get(path).await;
    assert_eq!(response.status(), StatusCode::OK, "{path}");
    json(response).await
}

/// The one release in the package at `url` (a release URL may carry `#release-id`).
async fn single_release(app: &TestApp, url: &str) -> Value {
    let (path, fragment) = url.split_once('#').unwrap_or((url, ""));
    let package = page(app, path).await;
    assert_eq!(package["version"], "1.1", "{url} is a release package");
    assert!(
        package["uri"].as_str().unwrap().starts_with("http"),
        "{url}"
    );
    let releases = package["releases"].as_array().unwrap();
    assert_eq!(releases.len(), 1, "{url}");
    if !fragment.is_empty() {
        assert_eq!(
            releases[0]["id"], fragment,
            "the fragment names the release"
        );
    }
    releases[0].clone()
}

/// Every release in the feed from the start, following `links.next`.
async fn whole_feed(app: &TestApp, limit: u32) -> Vec<Value> {
    let mut releases = Vec::new();
    let mut next = Some(format!("/api/ocds/releases?limit={limit}"));
    while let Some(path) = next {
        let package = page(app, &path).await;
        releases.extend(package["releases"].as_array().unwrap().iter().cloned());
        next = package["links"]["next"].as_str().map(str::to_owned);
    }
    releases
}

#[tokio::test]
async fn every_demo_release_meets_the_ocds_1_1_schema_and_each_job_appears_once() {
    let app = spawn_app().await;
    let releases = whole_feed(&app, 4).await;
    assert!(releases.len() >= 10, "{}", releases.len());
    let ocids: BTreeSet<&str> = releases
        .iter()
        .map(|r| r["ocid"].as_str().unwrap())
        .collect();
    assert_eq!(
        ocids.len(),
        releases.len(),
        "one release per job when nothing changes"
    );
    for release in &releases {
        assert_valid_release(release);
    }
    // Awarded demo jobs carry awards; contracted ones contracts that point at them.
    assert!(releases.iter().any(|r| r["awards"].is_array()));
    assert!(releases.iter().any(|r| r["contracts"].is_array()));
    assert!(releases.iter().any(|r| r["bids"]["details"].is_array()));
}

#[tokio::test]
async fn bid_details_stay_out_of_the_release_until_the_bids_are_opened() {
    let app = spawn_app().await;
    let enterprise = app.signed_in(ENTERPRISE).await;
    let bidders = agencies(&app, 3).await;
    let job = published_job(&app, &enterprise, &job_draft(SelectionMethod::LowestPrice)).await;
    // An unusual price, so any leak is easy to find in the text.
    let mut sealed = bid(9);
    sealed.price = 9_876_543;
    for (_, client) in &bidders {
        let placed = app
            .post_as(client, &format!("/api/jobs/{}/bids", job.id), &sealed)
            .await;
        assert_eq!(placed.status(), StatusCode::CREATED);
    }
    let ocid = format!("ocds-yz0zjc-{}", job.id);
    let before = single_release(&app, &format!("/api/ocds/releases/{ocid}")).await;
    assert_valid_release(&before);
    assert_eq!(before["tag"][0], "tender");
    for hidden in ["bids", "awards"] {
        assert!(before.get(hidden).is_none(), "{hidden} before the deadline");
    }
    assert!(before["tender"].get("tenderers").is_none());
    assert!(before["tender"].get("numberOfTenderers").is_none());
    assert!(
        !before.to_string().contains("98765.43"),
        "no bid price before opening"
    );
    assert!(
        !before.to_string().contains("云州测试0号"),
        "no bidder before opening"
    );

    pass_deadline(&app).await;
    let after = single_release(&app, &format!("/api/ocds/releases/{ocid}")).await;
    assert_valid_release(&after);
    assert_eq!(after["tender"]["numberOfTenderers"], 3);
    let details = after["bids"]["details"].as_array().unwrap();
    assert_eq!(details.len(), 3);
    assert_eq!(details[0]["value"]["amount"], 98765.43);
    assert_eq!(details[0]["status"], "valid");
}

#[tokio::test]
async fn paging_while_jobs_change_neither_repeats_a_release_nor_skips_a_change() {
    let app = spawn_app().await;
    let enterprise = app.signed_in(ENTERPRISE).await;
    let bidders = agencies(&app, 2).await;
    let mut seen: Vec<Value> = Vec::new();
    let mut next = Some("/api/ocds/releases?limit=3".to_owned());
    let mut changed = Vec::new();
    let mut round = 0;
    while let Some(path) = next {
        let package = page(&app, &path).await;
        seen.extend(package["releases"].as_array().unwrap().iter().cloned());
        next = package["links"]["next"].as_str().map(str::to_owned);
        // Between pages, the market moves: a new job, and a bid on it (two events).
        if round < 3 {
            let job =
                published_job(&app, &enterprise, &job_draft(SelectionMethod::LowestPrice)).await;
            let placed = app
                .post_as(
                    &bidders[round % 2].1,
                    &format!("/api/jobs/{}/bids", job.id),
                    &bid(9),
                )
                .await;
            assert_eq!(placed.status(), StatusCode::CREATED);
            changed.push(job.id);
        }
        round += 1;
    }
    let ids: Vec<&str> = seen.iter().map(|r| r["id"].as_str().unwrap()).collect();
    let unique: BTreeSet<&str> = ids.iter().copied().collect();
    assert_eq!(unique.len(), ids.len(), "no release twice: {ids:?}");

    // Nothing skipped: the last release seen of every published job is its current one.
    let mut latest: BTreeMap<String, String> = BTreeMap::new();
    for release in &seen {
        latest.insert(
            release["ocid"].as_str().unwrap().to_owned(),
            release["id"].as_str().unwrap().to_owned(),
        );
    }
    let everything = whole_feed(&app, 200).await;
    assert_eq!(latest.len(), everything.len());
    for release in &everything {
        assert_eq!(
            latest.get(release["ocid"].as_str().unwrap()),
            Some(&release["id"].as_str().unwrap().to_owned()),
            "{release}"
        );
    }
    for id in changed {
        assert!(latest.contains_key(&format!("ocds-yz0zjc-{id}")));
    }
}

#[tokio::test]
async fn since_filters_by_release_date_and_bad_parameters_name_their_field() {
    let app = spawn_app().await;
    let all = whole_feed(&app, 200).await;
    let recent = page(
        &app,
        "/api/ocds/releases?since=2026-01-01T00:00:00%2B08:00&limit=200",
    )
    .await;
    let recent = recent["releases"].as_array().unwrap();
    assert!(recent.len() < all.len());
    for release in recent {
        assert!(release["date"].as_str().unwrap() >= "2026-01-01");
    }
    for (query, field, code) in [
        ("cursor=abc", "cursor", "bad_cursor"),
        ("cursor=-1", "cursor", "bad_cursor"),
        ("since=yesterday", "since", "bad_since"),
        ("limit=0", "limit", "bad_limit"),
        ("limit=1000", "limit", "bad_limit"),
    ] {
        let body = assert_error(
            app.get(&format!("/api/ocds/releases?{query}")).await,
            StatusCode::UNPROCESSABLE_ENTITY,
            code,
        )
        .await;
        assert_eq!(body.error.field.as_deref(), Some(field), "{query}");
    }
}

#[tokio::test]
async fn each_job_has_a_record_package_and_drafts_have_none() {
    let app = spawn_app().await;
    let first = whole_feed(&app, 1).await.remove(0);
    let ocid = first["ocid"].as_str().unwrap();
    let package = page(&app, &format!("/api/ocds/records/{ocid}")).await;
    assert_eq!(package["version"], "1.1");
    let record = &package["records"][0];
    assert_eq!(record["ocid"], ocid);
    assert_eq!(
        package["uri"],
        format!("{}/api/ocds/records/{ocid}", app.address)
    );
    // The compiled release is the current one, tagged as compiled.
    let mut compiled = record["compiledRelease"].clone();
    assert_eq!(compiled["tag"], serde_json::json!(["compiled"]));
    compiled["tag"] = first["tag"].clone();
    assert_eq!(compiled, first);
    // The record lists every release the job ever had, each retrievable by its own id.
    let linked = record["releases"].as_array().unwrap();
    assert!(linked.len() >= 2, "{linked:?}");
    assert_eq!(
        linked.last().unwrap()["url"],
        format!(
            "{}/api/ocds/releases/{id}#{id}",
            app.address,
            id = first["id"].as_str().unwrap()
        )
    );
    for entry in linked {
        let url = entry["url"].as_str().unwrap();
        let past = single_release(&app, url).await;
        assert_eq!(past["ocid"], ocid);
        assert_eq!(past["tag"], entry["tag"]);
    }
    let feed = page(&app, "/api/ocds/releases?limit=1").await;
    assert_eq!(feed["uri"], format!("{}/api/ocds/releases", app.address));
    assert!(feed["links"]["next"]
        .as_str()
        .unwrap()
        .starts_with(&format!("{}/api/ocds/releases?cursor=", app.address)));

    let enterprise = app.signed_in(ENTERPRISE).await;
    let draft: market_domain::wire::JobView = json(
        app.post_as(
            &enterprise,
            "/api/jobs",
            &job_draft(SelectionMethod::LowestPrice),
        )
        .await,
    )
    .await;
    for path in [
        format!("/api/ocds/records/ocds-yz0zjc-{}", draft.id),
        format!("/api/ocds/releases/ocds-yz0zjc-{}", draft.id),
        format!("/api/ocds/releases/ocds-yz0zjc-{}-1", draft.id),
        "/api/ocds/records/not-an-ocid".to_owned(),
    ] {
        assert_eq!(
            app.get(&path).await.status(),
            StatusCode::NOT_FOUND,
            "{path}"
        );
    }
}
