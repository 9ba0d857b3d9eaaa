//! The API reference, rendered from the server's own OpenAPI document, so that approval systems
//! and agencies' software read the contract the server actually enforces.

use crate::api;
use crate::components::Loaded;
use crate::i18n::{fill, set_title, use_i18n, Messages};
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;
use serde_json::Value;

mod reference;
pub use reference::*;

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
            <Loaded data=document let:document>
                {
                    let reference = ApiReference::from_document(&document);
                    view! { <Reference reference selected /> }
                }
            </Loaded>
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
mod tests;
