//! The API reference, rendered from the server's own OpenAPI document, so that approval systems
//! and agencies' software read the contract the server actually enforces.

use crate::api::{self, ApiError};
use crate::components::{DetailSkeleton, ErrorView};
use crate::i18n::{fill, set_title, use_i18n, Messages};
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;
use serde_json::Value;

/// A type as the reference shows it, linked to its schema when it has one.
#[derive(Clone, Debug, PartialEq)]
pub struct TypeRef {
    pub text: String,
    pub link: Option<String>,
}

impl TypeRef {
    fn plain(text: impl Into<String>) -> TypeRef {
        TypeRef {
            text: text.into(),
            link: None,
        }
    }
}

/// Who may call an operation, from its `security` list.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Access {
    Public,
    /// Anonymous callers are served; a session shows more.
    Optional,
    Session,
    Token,
}

impl Access {
    pub fn as_str(self) -> &'static str {
        match self {
            Access::Public => "public",
            Access::Optional => "optional",
            Access::Session => "session",
            Access::Token => "token",
        }
    }

    fn label(self, t: &Messages) -> &'static str {
        match self {
            Access::Public => t.api_docs_access_public,
            Access::Optional => t.api_docs_access_optional,
            Access::Session => t.api_docs_access_session,
            Access::Token => t.api_docs_access_token,
        }
    }
}

#[derive(Clone, Debug, PartialEq)]
pub struct ResponseDoc {
    pub status: String,
    pub description: String,
    pub content_type: Option<String>,
    pub ty: Option<TypeRef>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct OperationDoc {
    pub method: String,
    pub path: String,
    pub summary: String,
    pub access: Access,
    pub parameters: Vec<FieldDoc>,
    pub body: Option<TypeRef>,
    pub responses: Vec<ResponseDoc>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct TagGroup {
    pub name: String,
    pub description: String,
    pub operations: Vec<OperationDoc>,
}

/// A schema property, or an operation's parameter (which also says where it goes).
#[derive(Clone, Debug, PartialEq)]
pub struct FieldDoc {
    pub name: String,
    pub location: Option<String>,
    pub ty: TypeRef,
    pub required: bool,
    pub description: String,
}

#[derive(Clone, Debug, PartialEq)]
pub enum SchemaShape {
    /// Fields, plus the schemas whose fields are merged in (serde `flatten`).
    Object {
        fields: Vec<FieldDoc>,
        includes: Vec<String>,
    },
    Enum(Vec<String>),
    /// A tagged union: each variant's label and fields.
    Variants(Vec<(String, Vec<FieldDoc>)>),
    Scalar(TypeRef),
}

#[derive(Clone, Debug, PartialEq)]
pub struct SchemaDoc {
    pub name: String,
    pub description: String,
    pub shape: SchemaShape,
}

#[derive(Clone, Debug, PartialEq)]
pub struct ApiReference {
    pub version: String,
    pub intro: Vec<String>,
    pub groups: Vec<TagGroup>,
    pub schemas: Vec<SchemaDoc>,
}

const METHODS: [&str; 5] = ["get", "post", "put", "patch", "delete"];

fn text(value: &Value) -> String {
    value.as_str().unwrap_or_default().to_owned()
}

fn ref_name(reference: &str) -> String {
    reference.rsplit('/').next().unwrap_or(reference).to_owned()
}

/// Follows a local `$ref` once, for parameters and responses kept in `components`.
fn resolve<'a>(document: &'a Value, value: &'a Value) -> &'a Value {
    match value["$ref"].as_str().and_then(|r| r.strip_prefix('#')) {
        Some(pointer) => document.pointer(pointer).unwrap_or(value),
        None => value,
    }
}

/// How a schema reads in one cell: `JobView`, `BidView[]`, `string (date)`, `Money?`.
pub fn type_of(schema: &Value) -> TypeRef {
    if let Some(reference) = schema["$ref"].as_str() {
        let name = ref_name(reference);
        return TypeRef {
            text: name.clone(),
            link: Some(name),
        };
    }
    if let Some(choices) = schema["oneOf"].as_array() {
        let nullable = choices.iter().any(|c| c["type"] == "null");
        let parts: Vec<TypeRef> = choices
            .iter()
            .filter(|c| c["type"] != "null")
            .map(type_of)
            .collect();
        let joined = parts
            .iter()
            .map(|p| p.text.as_str())
            .collect::<Vec<_>>()
            .join(" | ");
        let link = match parts.as_slice() {
            [only] => only.link.clone(),
            _ => None,
        };
        return TypeRef {
            text: if nullable {
                format!("{joined}?")
            } else {
                joined
            },
            link,
        };
    }
    let (kind, nullable) = match &schema["type"] {
        Value::String(kind) => (kind.clone(), false),
        Value::Array(kinds) => (
            kinds
                .iter()
                .filter_map(Value::as_str)
                .find(|k| *k != "null")
                .unwrap_or("null")
                .to_owned(),
            kinds.iter().any(|k| k == "null"),
        ),
        _ => ("any".to_owned(), false),
    };
    let mut shown = match kind.as_str() {
        "array" => {
            let item = type_of(&schema["items"]);
            TypeRef {
                text: format!("{}[]", item.text),
                link: item.link,
            }
        }
        "object" if schema["additionalProperties"].is_object() => {
            let value = type_of(&schema["additionalProperties"]);
            TypeRef {
                text: format!("map<string, {}>", value.text),
                link: value.link,
            }
        }
        _ => match schema["format"].as_str() {
            Some(format) if kind == "string" => TypeRef::plain(format!("string ({format})")),
            _ => TypeRef::plain(kind),
        },
    };
    if nullable {
        shown.text.push('?');
    }
    shown
}

fn fields_of(schema: &Value) -> Vec<FieldDoc> {
    let required: Vec<&str> = schema["required"]
        .as_array()
        .map(|names| names.iter().filter_map(Value::as_str).collect())
        .unwrap_or_default();
    schema["properties"]
        .as_object()
        .map(|properties| {
            properties
                .iter()
                .map(|(name, property)| {
                    let mut description = text(&property["description"]);
                    if let Some(values) = property["enum"].as_array() {
                        let values: Vec<String> = values.iter().map(value_text).collect();
                        if !description.is_empty() {
                            description.push(' ');
                        }
                        description.push_str(&values.join(" | "));
                    }
                    FieldDoc {
                        name: name.clone(),
                        location: None,
                        ty: type_of(property),
                        required: required.contains(&name.as_str()),
                        description,
                    }
                })
                .collect()
        })
        .unwrap_or_default()
}

fn value_text(value: &Value) -> String {
    match value {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

fn shape_of(schema: &Value) -> SchemaShape {
    if let Some(values) = schema["enum"].as_array() {
        return SchemaShape::Enum(values.iter().map(value_text).collect());
    }
    if let Some(variants) = schema["oneOf"].as_array() {
        let labelled = variants
            .iter()
            .enumerate()
            .map(|(index, variant)| {
                if let Some(reference) = variant["$ref"].as_str() {
                    return (ref_name(reference), Vec::new());
                }
                // A serde-tagged variant names itself in its one-value tag property.
                let tag = variant["properties"]
                    .as_object()
                    .and_then(|props| {
                        props.iter().find_map(|(key, p)| {
                            p["enum"]
                                .as_array()
                                .filter(|v| v.len() == 1)
                                .map(|v| format!("{key} = {}", value_text(&v[0])))
                        })
                    })
                    .or_else(|| {
                        variant["enum"]
                            .as_array()
                            .map(|v| v.iter().map(value_text).collect::<Vec<_>>().join(" | "))
                    })
                    .unwrap_or_else(|| format!("#{}", index + 1));
                (tag, fields_of(variant))
            })
            .collect();
        return SchemaShape::Variants(labelled);
    }
    if let Some(parts) = schema["allOf"].as_array() {
        let mut fields = Vec::new();
        let mut includes = Vec::new();
        for part in parts {
            match part["$ref"].as_str() {
                Some(reference) => includes.push(ref_name(reference)),
                None => fields.extend(fields_of(part)),
            }
        }
        return SchemaShape::Object { fields, includes };
    }
    if schema["type"] == "object" || schema["properties"].is_object() {
        return SchemaShape::Object {
            fields: fields_of(schema),
            includes: Vec::new(),
        };
    }
    SchemaShape::Scalar(type_of(schema))
}

fn access_of(operation: &Value) -> Access {
    let Some(options) = operation["security"].as_array() else {
        return Access::Public;
    };
    let anonymous = options
        .iter()
        .any(|o| o.as_object().is_some_and(|o| o.is_empty()));
    let token = options.iter().any(|o| o.get("integration_token").is_some());
    match (token, anonymous) {
        (true, _) => Access::Token,
        (false, true) => Access::Optional,
        (false, false) => Access::Session,
    }
}

fn operation_of(document: &Value, method: &str, path: &str, operation: &Value) -> OperationDoc {
    let parameters = operation["parameters"]
        .as_array()
        .map(|list| {
            list.iter()
                .map(|p| resolve(document, p))
                .map(|p| FieldDoc {
                    name: text(&p["name"]),
                    location: Some(text(&p["in"])),
                    ty: type_of(&p["schema"]),
                    required: p["required"] == true,
                    description: text(&p["description"]),
                })
                .collect()
        })
        .unwrap_or_default();
    let body = operation["requestBody"]["content"]
        .as_object()
        .and_then(|content| content.values().next())
        .map(|media| type_of(&media["schema"]));
    let responses = operation["responses"]
        .as_object()
        .map(|all| {
            all.iter()
                .map(|(status, response)| {
                    let response = resolve(document, response);
                    let media = response["content"]
                        .as_object()
                        .and_then(|content| content.iter().next());
                    ResponseDoc {
                        status: status.clone(),
                        description: text(&response["description"]),
                        content_type: media.map(|(kind, _)| kind.clone()),
                        ty: media
                            .filter(|(_, m)| !m["schema"].is_null())
                            .map(|(_, m)| type_of(&m["schema"])),
                    }
                })
                .collect()
        })
        .unwrap_or_default();
    OperationDoc {
        method: method.to_uppercase(),
        path: path.to_owned(),
        summary: text(&operation["summary"]),
        access: access_of(operation),
        parameters,
        body,
        responses,
    }
}

impl ApiReference {
    /// Reads the parts of an OpenAPI 3.1 document the reference shows, in the document's order.
    pub fn from_document(document: &Value) -> ApiReference {
        let mut groups: Vec<TagGroup> = document["tags"]
            .as_array()
            .map(|tags| {
                tags.iter()
                    .map(|tag| TagGroup {
                        name: text(&tag["name"]),
                        description: text(&tag["description"]),
                        operations: Vec::new(),
                    })
                    .collect()
            })
            .unwrap_or_default();
        if let Some(paths) = document["paths"].as_object() {
            for (path, item) in paths {
                for method in METHODS {
                    let Some(operation) = item.get(method) else {
                        continue;
                    };
                    let tag = operation["tags"][0].as_str().unwrap_or("other");
                    let index = match groups.iter().position(|g| g.name == tag) {
                        Some(index) => index,
                        None => {
                            groups.push(TagGroup {
                                name: tag.to_owned(),
                                description: tag.to_owned(),
                                operations: Vec::new(),
                            });
                            groups.len() - 1
                        }
                    };
                    groups[index]
                        .operations
                        .push(operation_of(document, method, path, operation));
                }
            }
        }
        groups.retain(|g| !g.operations.is_empty());
        let schemas = document["components"]["schemas"]
            .as_object()
            .map(|all| {
                all.iter()
                    .map(|(name, schema)| SchemaDoc {
                        name: name.clone(),
                        description: text(&schema["description"]),
                        shape: shape_of(schema),
                    })
                    .collect()
            })
            .unwrap_or_default();
        ApiReference {
            version: text(&document["info"]["version"]),
            intro: text(&document["info"]["description"])
                .split("\n\n")
                .filter(|p| !p.trim().is_empty())
                .map(str::to_owned)
                .collect(),
            groups,
            schemas,
        }
    }
}

#[component]
pub fn ApiDocsPage() -> impl IntoView {
    let i18n = use_i18n();
    Effect::new(move || set_title(i18n.t().api_docs_title, i18n.t()));
    let document = LocalResource::new(api::openapi_document);
    let query = use_query_map();
    let selected = Memo::new(move |_| query.read().get("tag"));
    view! {
        <section class="page api-docs">
            <h1>{move || i18n.t().api_docs_title}</h1>
            <p class="lead">{move || i18n.t().api_docs_intro}</p>
            <p>
                <a class="button button--secondary" href="/api/openapi.json" download="openapi.json">
                    {move || i18n.t().api_docs_download}
                </a>
            </p>
            <Transition fallback=|| view! { <DetailSkeleton /> }>
                <ErrorBoundary fallback=|errors| view! { <ErrorView errors /> }>
                    {move || Suspend::new(async move {
                        let document = document.await?;
                        let reference = ApiReference::from_document(&document);
                        Ok::<_, ApiError>(view! { <Reference reference selected /> })
                    })}
                </ErrorBoundary>
            </Transition>
        </section>
    }
}

#[component]
fn Reference(
    /// The parsed document.
    reference: ApiReference,
    /// The tag picked in `?tag=`; all tags when absent.
    selected: Memo<Option<String>>,
) -> impl IntoView {
    let i18n = use_i18n();
    let version = reference.version.clone();
    let intro = reference.intro.clone();
    let nav = reference
        .groups
        .iter()
        .map(|g| (g.name.clone(), g.description.clone(), g.operations.len()))
        .collect::<Vec<_>>();
    let groups = reference.groups.clone();
    let schemas = reference.schemas.clone();
    view! {
        <div class="api-docs__intro card">
            <p class="note mono">"OpenAPI 3.1 · v" {version}</p>
            {intro.into_iter().map(|p| view! { <p>{inline_code(&p)}</p> }).collect_view()}
        </div>
        <nav class="api-docs__tags" aria-label=move || i18n.t().api_docs_areas>
            <a
                href="/api-docs"
                class="api-docs__tag"
                aria-current=move || selected.get().is_none().then_some("page")
            >
                {move || i18n.t().api_docs_all_tags}
            </a>
            {nav.into_iter().map(|(name, description, count)| {
                let href = format!("/api-docs?tag={name}");
                let current_name = name.clone();
                let title = fill(i18n.t().api_docs_operations, &[("n", count.to_string())]);
                view! {
                    <a
                        href=href
                        class="api-docs__tag"
                        title=title
                        aria-current=move || (selected.get().as_deref() == Some(current_name.as_str())).then_some("page")
                    >
                        {description.split(':').next().unwrap_or_default().to_owned()}
                    </a>
                }
            }).collect_view()}
        </nav>
        {groups.into_iter().map(|group| {
            let name = group.name.clone();
            let shown = move || selected.get().is_none_or(|tag| tag == name);
            let heading_id = format!("tag-{}", group.name);
            let labelled = heading_id.clone();
            view! {
                <section class="api-docs__group" aria-labelledby=labelled hidden=move || !shown()>
                    <h2 id=heading_id>{group.description.clone()}</h2>
                    {group.operations.into_iter().map(|operation| view! { <Operation operation /> }).collect_view()}
                </section>
            }
        }).collect_view()}
        <section class="api-docs__schemas" aria-labelledby="schemas">
            <h2 id="schemas">{move || i18n.t().api_docs_schemas}</h2>
            {schemas.into_iter().map(|schema| view! { <Schema schema /> }).collect_view()}
        </section>
    }
}

/// The document's prose is CommonMark; the only markup it uses is `inline code`.
fn inline_code(paragraph: &str) -> impl IntoView {
    paragraph
        .split('`')
        .enumerate()
        .map(|(index, part)| {
            let part = part.to_owned();
            if index % 2 == 1 {
                view! { <code>{part}</code> }.into_any()
            } else {
                part.into_any()
            }
        })
        .collect_view()
}

#[component]
fn TypeCell(
    /// The type to show, linked to its schema when it has one.
    ty: TypeRef,
) -> impl IntoView {
    match ty.link {
        Some(name) => {
            let id = format!("schema-{name}");
            let href = format!("#{id}");
            // A schema is a closed <details>; following its link opens it.
            let open = move |_| {
                if let Some(target) = document().get_element_by_id(&id) {
                    let _ = target.set_attribute("open", "");
                }
            };
            view! { <a class="mono" href=href on:click=open>{ty.text}</a> }.into_any()
        }
        None => view! { <span class="mono">{ty.text}</span> }.into_any(),
    }
}

#[component]
fn Operation(
    /// One method on one path.
    operation: OperationDoc,
) -> impl IntoView {
    let i18n = use_i18n();
    let method_class = format!(
        "api-op__method api-op__method--{}",
        operation.method.to_lowercase()
    );
    let access = operation.access;
    let access_class = format!("badge api-op__access api-op__access--{}", access.as_str());
    let title = format!("{} {}", operation.method, operation.path);
    let parameters = operation.parameters.clone();
    let has_parameters = !parameters.is_empty();
    let body = operation.body.clone();
    let responses = operation.responses.clone();
    view! {
        <article class="api-op card" aria-label=title>
            <h3 class="api-op__title">
                <span class=method_class>{operation.method.clone()}</span>
                <code class="api-op__path">{operation.path.clone()}</code>
            </h3>
            <p class="api-op__summary">
                {operation.summary.clone()} " "
                <span class=access_class>{move || access.label(i18n.t())}</span>
            </p>
            {has_parameters.then(|| {
                let caption: fn(&Messages) -> &'static str = |t| t.api_docs_params;
                view! { <FieldTable fields=parameters caption /> }
            })}
            {body.map(|ty| view! {
                <p class="api-op__body">
                    <strong>{move || i18n.t().api_docs_body}</strong> " application/json · "
                    <TypeCell ty />
                </p>
            })}
            <div class="table-scroll" tabindex="0">
            <table class="table api-op__table">
                <caption>{move || i18n.t().api_docs_responses}</caption>
                <thead>
                    <tr>
                        <th scope="col">{move || i18n.t().api_docs_col_status}</th>
                        <th scope="col">{move || i18n.t().api_docs_col_type}</th>
                        <th scope="col">{move || i18n.t().api_docs_col_description}</th>
                    </tr>
                </thead>
                <tbody>
                    {responses.into_iter().map(|r| {
                        let kind = r.content_type.clone().filter(|k| k != "application/json");
                        view! {
                            <tr>
                                <td class="mono">{r.status.clone()}</td>
                                <td>
                                    {r.ty.clone().map(|ty| view! { <TypeCell ty /> })}
                                    {kind.map(|k| view! { <span class="note mono">" " {k}</span> })}
                                </td>
                                <td>{r.description.clone()}</td>
                            </tr>
                        }
                    }).collect_view()}
                </tbody>
            </table>
            </div>
        </article>
    }
}

fn location_label(location: &str, t: &Messages) -> &'static str {
    match location {
        "path" => t.api_docs_in_path,
        "query" => t.api_docs_in_query,
        "header" => t.api_docs_in_header,
        _ => t.api_docs_in_cookie,
    }
}

#[component]
fn FieldTable(
    /// The rows: an object's fields or an operation's parameters.
    fields: Vec<FieldDoc>,
    /// Picks the table's accessible name from the catalogue, when it has one.
    #[prop(optional)]
    caption: Option<fn(&Messages) -> &'static str>,
) -> impl IntoView {
    let i18n = use_i18n();
    let located = fields.iter().any(|f| f.location.is_some());
    view! {
        <div class="table-scroll" tabindex="0">
        <table class="table api-op__table">
            {caption.map(|c| view! { <caption>{move || c(i18n.t())}</caption> })}
            <thead>
                <tr>
                    <th scope="col">{move || i18n.t().api_docs_col_name}</th>
                    {located.then(|| view! { <th scope="col">{move || i18n.t().api_docs_col_in}</th> })}
                    <th scope="col">{move || i18n.t().api_docs_col_type}</th>
                    <th scope="col">{move || i18n.t().api_docs_col_required}</th>
                    <th scope="col">{move || i18n.t().api_docs_col_description}</th>
                </tr>
            </thead>
            <tbody>
                {fields.into_iter().map(|f| {
                    let required = f.required;
                    let location = f.location.clone();
                    view! {
                        <tr>
                            <td class="mono">{f.name.clone()}</td>
                            {location.map(|l| view! { <td>{move || location_label(&l, i18n.t())}</td> })}
                            <td><TypeCell ty=f.ty.clone() /></td>
                            <td>{move || if required { i18n.t().api_docs_yes } else { i18n.t().api_docs_no }}</td>
                            <td>{f.description.clone()}</td>
                        </tr>
                    }
                }).collect_view()}
            </tbody>
        </table>
        </div>
    }
}

#[component]
fn Schema(
    /// One named schema from `components`.
    schema: SchemaDoc,
) -> impl IntoView {
    let i18n = use_i18n();
    let id = format!("schema-{}", schema.name);
    let description = (!schema.description.is_empty()).then_some(schema.description.clone());
    let shape = match schema.shape.clone() {
        SchemaShape::Object { fields, includes } => view! {
            {includes.into_iter().map(|name| {
                let href = format!("#schema-{name}");
                view! {
                    <p><a href=href>{move || fill(i18n.t().api_docs_includes, &[("name", name.clone())])}</a></p>
                }
            }).collect_view()}
            <FieldTable fields />
        }
        .into_any(),
        SchemaShape::Enum(values) => view! {
            <p>{move || i18n.t().api_docs_values} ": " <span class="mono">{values.join(" | ")}</span></p>
        }
        .into_any(),
        SchemaShape::Variants(variants) => view! {
            <p>{move || i18n.t().api_docs_one_of}</p>
            {variants.into_iter().map(|(label, fields)| {
                let has_fields = !fields.is_empty();
                view! {
                    <h4 class="mono">{label}</h4>
                    {has_fields.then(|| view! { <FieldTable fields /> })}
                }
            }).collect_view()}
        }
        .into_any(),
        SchemaShape::Scalar(ty) => view! { <p><TypeCell ty /></p> }.into_any(),
    };
    view! {
        <details class="api-schema card" id=id>
            <summary class="mono">{schema.name.clone()}</summary>
            {description.map(|d| view! { <p class="note">{d}</p> })}
            {shape}
        </details>
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn document() -> Value {
        json!({
            "openapi": "3.1.0",
            "info": { "title": "t", "version": "1.2.3", "description": "第一段\n\n第二段" },
            "tags": [{ "name": "jobs", "description": "采购项目:发布" }],
            "paths": {
                "/api/jobs/{id}/bids": {
                    "get": {
                        "tags": ["jobs"], "summary": "报价列表",
                        "parameters": [{ "name": "id", "in": "path", "required": true,
                                         "schema": { "type": "integer", "format": "int64" } }],
                        "responses": {
                            "200": { "description": "成功", "content": { "application/json": {
                                "schema": { "type": "array", "items": { "$ref": "#/components/schemas/BidView" } } } } },
                            "default": { "$ref": "#/components/responses/Error" }
                        },
                        "security": [{}, { "session": [] }]
                    },
                    "post": {
                        "tags": ["jobs"], "summary": "提交报价",
                        "parameters": [{ "$ref": "#/components/parameters/CsrfHeader" }],
                        "requestBody": { "content": { "application/json": {
                            "schema": { "$ref": "#/components/schemas/BidRequest" } } } },
                        "responses": {},
                        "security": [{ "session": [] }]
                    }
                }
            },
            "components": {
                "schemas": {
                    "BidView": { "type": "object", "required": ["price"], "properties": {
                        "price": { "$ref": "#/components/schemas/Money" },
                        "note": { "type": ["string", "null"] },
                        "contract": { "oneOf": [{ "type": "null" }, { "$ref": "#/components/schemas/Contract" }] }
                    } },
                    "Model": { "oneOf": [
                        { "type": "object", "properties": { "kind": { "type": "string", "enum": ["fixed"] },
                                                              "price": { "type": "integer" } } }
                    ] },
                    "State": { "type": "string", "enum": ["draft", "published"] }
                },
                "parameters": { "CsrfHeader": { "name": "x-requested-with", "in": "header", "required": true,
                                                "schema": { "type": "string" } } },
                "responses": { "Error": { "description": "请求被拒绝", "content": { "application/json": {
                    "schema": { "$ref": "#/components/schemas/ErrorBody" } } } } }
            }
        })
    }

    #[test]
    fn operations_are_grouped_under_their_tag_with_access_and_types() {
        let reference = ApiReference::from_document(&document());
        assert_eq!(reference.version, "1.2.3");
        assert_eq!(reference.intro, vec!["第一段", "第二段"]);
        let group = &reference.groups[0];
        assert_eq!(group.operations.len(), 2);
        let list = &group.operations[0];
        assert_eq!(
            (list.method.as_str(), list.access),
            ("GET", Access::Optional)
        );
        assert_eq!(list.responses[0].ty.as_ref().unwrap().text, "BidView[]");
        assert_eq!(
            list.responses[0].ty.as_ref().unwrap().link.as_deref(),
            Some("BidView")
        );
        assert_eq!(list.responses[1].description, "请求被拒绝");
        let create = &group.operations[1];
        assert_eq!(create.access, Access::Session);
        assert_eq!(create.parameters[0].name, "x-requested-with");
        assert_eq!(create.body.as_ref().unwrap().text, "BidRequest");
    }

    #[test]
    fn nullable_fields_read_with_a_question_mark() {
        let reference = ApiReference::from_document(&document());
        let view = &reference.schemas[0];
        let SchemaShape::Object { fields, .. } = &view.shape else {
            panic!("object expected");
        };
        let types: Vec<(&str, &str, bool)> = fields
            .iter()
            .map(|f| (f.name.as_str(), f.ty.text.as_str(), f.required))
            .collect();
        // serde_json keeps object keys sorted; the reference lists fields by name.
        assert_eq!(
            types,
            [
                ("contract", "Contract?", false),
                ("note", "string?", false),
                ("price", "Money", true)
            ]
        );
    }

    #[test]
    fn tagged_variants_and_enums_are_shown_by_their_values() {
        let reference = ApiReference::from_document(&document());
        let SchemaShape::Variants(variants) = &reference.schemas[1].shape else {
            panic!("variants expected");
        };
        assert_eq!(variants[0].0, "kind = fixed");
        assert_eq!(
            reference.schemas[2].shape,
            SchemaShape::Enum(vec!["draft".into(), "published".into()])
        );
    }
}
