//! The API's OpenAPI 3.1 document, generated from the same handler list the router serves,
//! so a route cannot exist without its description or the other way round.

use crate::state::AppState;
use crate::{
    agencies, audit, auth, cases, complaints, health, jobs, listings, notifications, ocds,
    oversight, review, statistics, transparency,
};
use axum::http::header;
use axum::response::IntoResponse;
use market_domain::wire::{ErrorBody, CSRF_HEADER, CSRF_HEADER_VALUE};
use std::sync::OnceLock;
use utoipa::openapi::link::LinkBuilder;
use utoipa::openapi::path::{HttpMethod, Operation, ParameterBuilder, ParameterIn, PathItem};
use utoipa::openapi::schema::{Object, Type};
use utoipa::openapi::security::{ApiKey, ApiKeyValue, HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::openapi::tag::TagBuilder;
use utoipa::openapi::{
    ContentBuilder, InfoBuilder, OpenApi, Ref, RefOr, Required, ResponseBuilder, ServerBuilder,
};
use utoipa::{PartialSchema, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

/// Where the document is served; the app's docs page reads it from here.
pub const PATH: &str = "/api/openapi.json";

const ERROR_RESPONSE: &str = "Error";
const CSRF_PARAMETER: &str = "CsrfHeader";

/// The tags in reading order, each with the words the docs page shows for it.
const TAGS: &[(&str, &str)] = &[
    ("auth", "账户与会话:注册、登录、退出"),
    ("agencies", "中介机构:名录、资质、收费标准与信用档案"),
    ("listings", "机构入驻信息:提交新版本待审核"),
    ("review", "入驻与收费标准审核(价格监管部门)"),
    (
        "jobs",
        "采购项目:发布、报价、选取、公示、异议、合同、交付与评价",
    ),
    (
        "cases",
        "审批案件:与中介服务并列的审批进度,以及审批系统对接",
    ),
    ("complaints", "投诉:受理、答复、处理决定与结果公开"),
    ("oversight", "监管台:红色预警、暂停与暂停建议"),
    ("statistics", "统计与导出(CSV、XLSX)"),
    ("transparency", "防篡改存证:项目记录哈希链与每日根"),
    ("notifications", "站内通知与实时推送"),
    ("open-data", "开放数据:OCDS 1.1 发布与记录"),
    ("system", "系统:健康检查与本文档"),
];

/// Every documented route; `startup` mounts exactly this.
pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(get_openapi))
        .merge(health::router())
        .merge(auth::router())
        .merge(agencies::router())
        .merge(listings::router())
        .merge(jobs::router())
        .merge(cases::router())
        .merge(review::router())
        .merge(transparency::router())
        .merge(notifications::router())
        .merge(oversight::router())
        .merge(audit::router())
        .merge(statistics::router())
        .merge(ocds::router())
        .merge(complaints::router())
}

/// The finished document: the routes' own descriptions plus what holds for all of them.
pub fn document() -> OpenApi {
    let mut doc = routes().into_openapi();
    doc.info = InfoBuilder::new()
        .title("中介超市 API")
        .version(env!("CARGO_PKG_VERSION"))
        .description(Some(
            "网上中介服务超市的 JSON 接口。金额一律为整数(单位:分),时间为带时区的 RFC 3339。\n\n\
             浏览器以会话 Cookie 登录;所有修改数据的请求须带请求头 \
             `X-Requested-With: market-app`(防跨站请求伪造),审批系统对接接口除外。\n\n\
             每个失败的请求都返回 `ErrorBody`:`code` 为机器可读的错误码,`field` 指出出错字段。",
        ))
        .build();
    doc.servers = Some(vec![ServerBuilder::new().url("/").build()]);
    doc.tags = Some(
        TAGS.iter()
            .map(|(name, description)| {
                TagBuilder::new()
                    .name(*name)
                    .description(Some(*description))
                    .build()
            })
            .collect(),
    );

    let components = doc.components.get_or_insert_with(Default::default);
    components
        .schemas
        .insert(ErrorBody::name().into(), ErrorBody::schema());
    let mut nested = Vec::new();
    ErrorBody::schemas(&mut nested);
    components.schemas.extend(nested);
    components.responses.insert(
        ERROR_RESPONSE.into(),
        ResponseBuilder::new()
            .description(
                "请求被拒绝或失败。400 请求格式错误,401 未登录,403 无权操作,404 不存在,\
                 409 状态已变化,413 请求过大,422 字段校验未通过(fields 列出每个字段),\
                 429 尝试过于频繁,500 服务器内部错误。",
            )
            .content(
                "application/json",
                ContentBuilder::new()
                    .schema(Some(Ref::from_schema_name(ErrorBody::name())))
                    .build(),
            )
            .build()
            .into(),
    );
    components.parameters.insert(
        CSRF_PARAMETER.into(),
        ParameterBuilder::new()
            .name(CSRF_HEADER)
            .parameter_in(ParameterIn::Header)
            .required(Required::True)
            .description(Some("防跨站请求伪造:固定值 market-app"))
            .schema(Some(
                Object::builder()
                    .schema_type(Type::String)
                    .enum_values(Some([CSRF_HEADER_VALUE])),
            ))
            .build()
            .into(),
    );
    components.security_schemes.insert(
        "session".into(),
        SecurityScheme::ApiKey(ApiKey::Cookie(ApiKeyValue::with_description(
            "market_session",
            "登录后服务器设置的会话 Cookie(HTTPS 部署时名为 __Host-market_session)",
        )))
        .into(),
    );
    components.security_schemes.insert(
        "integration_token".into(),
        SecurityScheme::Http(
            HttpBuilder::new()
                .scheme(HttpAuthScheme::Bearer)
                .description(Some("审批系统对接令牌,由价格监管部门签发"))
                .build(),
        )
        .into(),
    );

    add_links(&mut doc);
    for (path, item) in doc.paths.paths.iter_mut() {
        let operations = [
            (HttpMethod::Get, item.get.as_mut()),
            (HttpMethod::Put, item.put.as_mut()),
            (HttpMethod::Post, item.post.as_mut()),
            (HttpMethod::Delete, item.delete.as_mut()),
            (HttpMethod::Patch, item.patch.as_mut()),
        ];
        for (method, operation) in operations {
            if let Some(operation) = operation {
                describe_common(path, method, operation);
            }
        }
    }
    doc
}

/// (method, path, status, target path, [(parameter, runtime expression)]).
type Producer = (
    HttpMethod,
    &'static str,
    &'static str,
    &'static str,
    &'static [(&'static str, &'static str)],
);

/// Where a response names an object other operations take by its identifier: the producing
/// operation, its status, the path (and its children) whose parameter it fills, and the
/// runtime expression for each parameter. Clients and stateful testers follow these links from
/// a list or a creation to the object itself, instead of guessing identifiers.
const PRODUCERS: &[Producer] = &[
    (
        HttpMethod::Get,
        "/api/jobs",
        "200",
        "/api/jobs/{id}",
        &[("id", "$response.body#/items/0/id")],
    ),
    (
        HttpMethod::Post,
        "/api/jobs",
        "201",
        "/api/jobs/{id}",
        &[("id", "$response.body#/id")],
    ),
    (
        HttpMethod::Post,
        "/api/jobs/{id}/repost",
        "201",
        "/api/jobs/{id}",
        &[("id", "$response.body#/id")],
    ),
    (
        HttpMethod::Get,
        "/api/my/jobs",
        "200",
        "/api/jobs/{id}",
        &[("id", "$response.body#/owned/0/id")],
    ),
    (
        HttpMethod::Get,
        "/api/jobs/{id}/objections",
        "200",
        "/api/jobs/{id}/objections/{objection_id}",
        &[
            ("id", "$request.path.id"),
            ("objection_id", "$response.body#/0/id"),
        ],
    ),
    (
        HttpMethod::Post,
        "/api/jobs/{id}/objections",
        "201",
        "/api/jobs/{id}/objections/{objection_id}",
        &[
            ("id", "$request.path.id"),
            ("objection_id", "$response.body#/id"),
        ],
    ),
    (
        HttpMethod::Get,
        "/api/agencies",
        "200",
        "/api/agencies/{id}",
        &[("id", "$response.body#/items/0/id")],
    ),
    (
        HttpMethod::Get,
        "/api/my/listing",
        "200",
        "/api/agencies/{id}",
        &[("id", "$response.body#/agency_id")],
    ),
    (
        HttpMethod::Post,
        "/api/my/listing",
        "201",
        "/api/review/versions/{id}",
        &[("id", "$response.body#/id")],
    ),
    (
        HttpMethod::Get,
        "/api/review/queue",
        "200",
        "/api/review/versions/{id}",
        &[("id", "$response.body#/items/0/version_id")],
    ),
    (
        HttpMethod::Post,
        "/api/agencies/{id}/suspensions",
        "201",
        "/api/suspensions/{id}",
        &[("id", "$response.body#/id")],
    ),
    (
        HttpMethod::Get,
        "/api/cases",
        "200",
        "/api/cases/{id}",
        &[("id", "$response.body#/items/0/id")],
    ),
    (
        HttpMethod::Post,
        "/api/cases",
        "201",
        "/api/cases/{id}",
        &[("id", "$response.body#/summary/id")],
    ),
    (
        HttpMethod::Post,
        "/api/cases",
        "201",
        "/api/integrations/approval-cases/{number}",
        &[("number", "$response.body#/summary/case_number")],
    ),
    (
        HttpMethod::Get,
        "/api/integration-tokens",
        "200",
        "/api/integration-tokens/{id}",
        &[("id", "$response.body#/0/id")],
    ),
    (
        HttpMethod::Post,
        "/api/integration-tokens",
        "201",
        "/api/integration-tokens/{id}",
        &[("id", "$response.body#/id")],
    ),
    (
        HttpMethod::Get,
        "/api/oversight/suspension-proposals",
        "200",
        "/api/oversight/suspension-proposals/{id}",
        &[("id", "$response.body#/0/id")],
    ),
    (
        HttpMethod::Post,
        "/api/oversight/suspension-proposals/{id}/confirm",
        "201",
        "/api/suspensions/{id}",
        &[("id", "$response.body#/id")],
    ),
    (
        HttpMethod::Get,
        "/api/complaints",
        "200",
        "/api/complaints/{id}",
        &[("id", "$response.body#/0/id")],
    ),
    (
        HttpMethod::Post,
        "/api/complaints",
        "201",
        "/api/complaints/{id}",
        &[("id", "$response.body#/id")],
    ),
    (
        HttpMethod::Get,
        "/api/ocds/releases",
        "200",
        "/api/ocds/releases/{ocid}",
        &[("ocid", "$response.body#/releases/0/ocid")],
    ),
    (
        HttpMethod::Get,
        "/api/ocds/releases",
        "200",
        "/api/ocds/records/{ocid}",
        &[("ocid", "$response.body#/releases/0/ocid")],
    ),
];

fn operation_mut<'a>(item: &'a mut PathItem, method: &HttpMethod) -> Option<&'a mut Operation> {
    match method {
        HttpMethod::Get => item.get.as_mut(),
        HttpMethod::Put => item.put.as_mut(),
        HttpMethod::Post => item.post.as_mut(),
        HttpMethod::Delete => item.delete.as_mut(),
        HttpMethod::Patch => item.patch.as_mut(),
        _ => None,
    }
}

/// Adds an OpenAPI link from each producer to every operation on its target path or below it.
fn add_links(doc: &mut OpenApi) {
    let mut targets: Vec<(String, String)> = Vec::new();
    for (path, item) in &doc.paths.paths {
        for operation in [&item.get, &item.put, &item.post, &item.delete, &item.patch]
            .into_iter()
            .flatten()
        {
            if let Some(id) = &operation.operation_id {
                targets.push((path.clone(), id.clone()));
            }
        }
    }
    for (method, producer, status, target, parameters) in PRODUCERS {
        let consumers: Vec<&(String, String)> = targets
            .iter()
            .filter(|(path, _)| {
                path == target
                    || path
                        .strip_prefix(target)
                        .is_some_and(|rest| rest.starts_with('/'))
            })
            .collect();
        let item = doc
            .paths
            .paths
            .get_mut(*producer)
            .unwrap_or_else(|| panic!("link producer {producer} is not a documented path"));
        let operation = operation_mut(item, method)
            .unwrap_or_else(|| panic!("link producer {producer} lacks the method"));
        let Some(RefOr::T(response)) = operation.responses.responses.get_mut(*status) else {
            panic!("link producer {producer} has no {status} response");
        };
        for (consumer_path, consumer_id) in consumers {
            let mut link = LinkBuilder::new().operation_id(consumer_id.clone());
            for (name, expression) in *parameters {
                if consumer_path.contains(&format!("{{{name}}}")) {
                    link = link.parameter(format!("path.{name}"), *expression);
                }
            }
            response
                .links
                .insert(consumer_id.clone(), link.build().into());
        }
    }
}

/// What every operation shares: the error response, and the CSRF header where it applies.
fn describe_common(path: &str, method: HttpMethod, operation: &mut Operation) {
    operation.responses.responses.insert(
        "default".into(),
        RefOr::Ref(Ref::new(format!("#/components/responses/{ERROR_RESPONSE}"))),
    );
    let changes_state = !matches!(method, HttpMethod::Get);
    if changes_state && !path.starts_with("/api/integrations/") {
        operation
            .parameters
            .get_or_insert_with(Vec::new)
            .push(RefOr::Ref(Ref::new(format!(
                "#/components/parameters/{CSRF_PARAMETER}"
            ))));
    }
}

fn serialized() -> &'static str {
    static JSON: OnceLock<String> = OnceLock::new();
    JSON.get_or_init(|| {
        document()
            .to_json()
            .expect("the OpenAPI document serialises")
    })
}

#[utoipa::path(
    get,
    path = "/api/openapi.json",
    tag = "system",
    summary = "本接口文档(OpenAPI 3.1)",
    responses((status = 200, description = "OpenAPI 3.1 文档", content_type = "application/json")),
)]
async fn get_openapi() -> impl IntoResponse {
    ([(header::CONTENT_TYPE, "application/json")], serialized())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_operation_has_a_tag_a_summary_and_the_error_response() {
        let doc = document();
        let known: Vec<&str> = TAGS.iter().map(|(name, _)| *name).collect();
        let mut count = 0;
        for (path, item) in &doc.paths.paths {
            for operation in [&item.get, &item.put, &item.post, &item.delete, &item.patch]
                .into_iter()
                .flatten()
            {
                count += 1;
                let tags = operation.tags.clone().unwrap_or_default();
                assert!(
                    tags.len() == 1 && known.contains(&tags[0].as_str()),
                    "{path}: tags {tags:?}"
                );
                assert!(operation.summary.is_some(), "{path} has no summary");
                assert!(
                    operation.responses.responses.contains_key("default"),
                    "{path} lacks the error response"
                );
            }
        }
        assert!(count >= 79, "only {count} operations documented");
    }

    #[test]
    fn lists_and_creations_link_to_the_operations_on_what_they_return() {
        let doc = document();
        let created = &doc.paths.paths["/api/jobs"]
            .post
            .as_ref()
            .unwrap()
            .responses
            .responses["201"];
        let RefOr::T(created) = created else {
            panic!("inline response")
        };
        let publish = &created.links["publish_job"];
        let RefOr::T(publish) = publish else {
            panic!("inline link")
        };
        assert_eq!(publish.operation_id, "publish_job");
        assert_eq!(publish.parameters["path.id"], "$response.body#/id");
        // Every operation that takes a path identifier is reachable through some link.
        let mut linked = std::collections::BTreeSet::new();
        for item in doc.paths.paths.values() {
            for operation in [&item.get, &item.put, &item.post].into_iter().flatten() {
                for response in operation.responses.responses.values() {
                    if let RefOr::T(response) = response {
                        for link in response.links.values() {
                            if let RefOr::T(link) = link {
                                linked.insert(link.operation_id.clone());
                            }
                        }
                    }
                }
            }
        }
        let mut unlinked = Vec::new();
        for (path, item) in &doc.paths.paths {
            for operation in [&item.get, &item.put, &item.post].into_iter().flatten() {
                let id = operation.operation_id.clone().unwrap_or_default();
                if path.contains('{') && !path.contains("{table}") && !linked.contains(&id) {
                    unlinked.push(format!("{path} ({id})"));
                }
            }
        }
        assert!(unlinked.is_empty(), "no link leads to {unlinked:?}");
    }

    #[test]
    fn only_state_changing_cookie_requests_ask_for_the_csrf_header() {
        let doc = document();
        let csrf = |operation: &Operation| {
            operation
                .parameters
                .iter()
                .flatten()
                .any(|p| matches!(p, RefOr::Ref(r) if r.ref_location.ends_with(CSRF_PARAMETER)))
        };
        let jobs = &doc.paths.paths["/api/jobs"];
        assert!(!csrf(jobs.get.as_ref().unwrap()));
        assert!(csrf(jobs.post.as_ref().unwrap()));
        let integration = &doc.paths.paths["/api/integrations/approval-cases/{number}/events"];
        assert!(!csrf(integration.post.as_ref().unwrap()));
    }
}
