//! `/cases`: an enterprise's own cases with what blocks each; everything, plus the off-platform
//! red flag, for regulators and approval officers; officers register cases here.

use super::status_variant;
use crate::api;
use crate::components::Badge;
use crate::components::{input, Feedback};
use crate::components::{label, DataTable, TableFrame};
use crate::components::{CursorPagination, ListPosition};
use crate::components::{LinkLine, LinkList, Loaded, Placeholder};
use crate::i18n::{set_title, use_i18n};
use crate::session::use_session;
use leptos::prelude::*;
use market_domain::approval::{blocker, CaseSummary, NewCaseRequest};
use market_domain::Role;

#[component]
fn CaseTable(
    /// The cases to list.
    cases: Vec<CaseSummary>,
    /// The table's accessible name.
    #[prop(into)]
    label: Signal<String>,
) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <DataTable label=label columns=&[|t| t.case_number, |t| t.case_item, |t| t.case_status, |t| t.case_blocker] frame=TableFrame::Card>
            {cases.into_iter().map(|case| {
                let status = case.status;
                let services = case.services.clone();
                view! {
                    <tr>
                        <td><a href=format!("/cases/{}", case.id)>{case.project_name.clone()}</a><br/><span class="mono">{case.case_number.clone()}</span></td>
                        <td>{case.item.name.clone()}<br/><span class="note">{case.applicant_name.clone()}</span></td>
                        <td><Badge variant=status_variant(status) label=Signal::derive(move || status.name(i18n.locale.get()).to_owned()) /></td>
                        <td>{move || blocker(status, &services, i18n.locale.get()).unwrap_or_else(|| "—".into())}</td>
                    </tr>
                }
            }).collect_view()}
        </DataTable>
    }
}

#[component]
pub fn CasesPage() -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    Effect::new(move |_| set_title(i18n.t().cases_title, i18n.t()));
    let query = leptos_router::hooks::use_query_map();
    let position = Memo::new(move |_| ListPosition::from_query(&query.read()));
    let cases = LocalResource::new(move || {
        let position = position.get();
        async move { api::cases(&position.query()).await }
    });
    let is_regulator = move || session.account.get().map(|a| a.role) == Some(Role::Regulator);
    let is_officer = move || session.account.get().map(|a| a.role) == Some(Role::ApprovalOfficer);
    view! {
        <section>
            <h1>{move || i18n.t().cases_title}</h1>
            <p class="lead">{move || i18n.t().cases_intro}</p>
            <Show when=is_regulator>
                <OffPlatform />
                <Tokens />
            </Show>
            <Show when=is_officer>
                <RegisterCase />
            </Show>
            <Loaded data=cases placeholder=Placeholder::Cards(3) let:cases>
                {
                    let page_count = cases.page_count();
                    let (page, next) = (cases.page, cases.next.clone());
                    let cases = cases.items;
                    if cases.is_empty() {
                        view! { <p class="card">{move || i18n.t().cases_empty}</p> }.into_any()
                    } else {
                        view! {
                            <CaseTable cases label=label(|t| t.cases_title) />
                            {(page_count > 1).then(|| view! { <CursorPagination base="/cases".to_owned() page page_count next /> })}
                        }.into_any()
                    }
                }
            </Loaded>
        </section>
    }
}

/// The regulator's red flag: cases in review whose required service was never procured here.
#[component]
fn OffPlatform() -> impl IntoView {
    let i18n = use_i18n();
    let flagged = LocalResource::new(api::off_platform_cases);
    view! {
        <section class="card card--flag" aria-label=move || i18n.t().cases_off_platform>
            <h2>{move || i18n.t().cases_off_platform}</h2>
            <Loaded data=flagged let:flagged>
                <LinkList none=|t| t.cases_off_platform_none lines=flagged.into_iter().map(|case| {
                    let missing = case.off_platform;
                    let number = case.case_number;
                    LinkLine {
                        href: format!("/cases/{}", case.id),
                        label: case.project_name,
                        facts: Box::new(move |locale| {
                            let names: Vec<_> = missing.iter().map(|s| s.name(locale)).collect();
                            format!("{number} · {}", names.join(crate::i18n::list_separator(locale)))
                        }),
                    }
                }).collect() />
            </Loaded>
        </section>
    }
}

/// The approval officer registers a case when the application is accepted (受理).
#[component]
fn RegisterCase() -> impl IntoView {
    let i18n = use_i18n();
    let navigate = leptos_router::hooks::use_navigate();
    let items = LocalResource::new(api::approval_items);
    let number = RwSignal::new(String::new());
    let code = RwSignal::new(String::new());
    let name = RwSignal::new(String::new());
    let item = RwSignal::new(String::new());
    let applicant = RwSignal::new(String::new());
    let feedback = Feedback::new();
    let create = Action::new_local(move |request: &NewCaseRequest| {
        let request = request.clone();
        async move { api::create_case(&request).await }
    });
    Effect::new(move |_| match create.value().get() {
        Some(Ok(case)) => navigate(&format!("/cases/{}", case.summary.id), Default::default()),
        Some(Err(error)) => feedback.refused(error),
        None => {}
    });
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        feedback.clear();
        let now = js_sys::Date::new_0()
            .to_iso_string()
            .as_string()
            .unwrap_or_default();
        create.dispatch(NewCaseRequest {
            case_number: number.get_untracked(),
            project_code: code.get_untracked(),
            project_name: name.get_untracked(),
            item_code: item.get_untracked(),
            applicant_credit_code: applicant.get_untracked(),
            received_at: now,
        });
    };
    let err = move |field: &str| feedback.field(field);
    let options = Signal::derive(move || {
        items
            .get()
            .and_then(Result::ok)
            .unwrap_or_default()
            .into_iter()
            .map(|i| (i.code.clone(), format!("{}({})", i.name, i.department)))
            .collect::<Vec<_>>()
    });
    view! {
        <section class="card" aria-label=move || i18n.t().case_register_title>
            <h2>{move || i18n.t().case_register_title}</h2>
            <form class="form" novalidate on:submit=on_submit>
                <crate::components::TextField name="case_number" label=label(|t| t.case_number) value=number error=err("case_number") />
                <crate::components::TextField name="project_code" label=label(|t| t.field_project_code) value=code error=err("project_code") />
                <crate::components::TextField name="project_name" label=label(|t| t.field_project_name) value=name error=err("project_name") />
                <crate::components::SelectField name="item_code" label=label(|t| t.case_item) value=item options placeholder=Signal::derive(|| "—".to_owned()) error=err("item_code") />
                <crate::components::TextField name="applicant_credit_code" label=label(|t| t.field_applicant_credit_code) value=applicant error=err("applicant_credit_code") />
                {feedback.view()}
                <button class="button button--primary" type="submit" disabled=move || create.pending().get()>{move || i18n.t().case_register_submit}</button>
            </form>
        </section>
    }
}

/// The regulator creates and revokes the tokens approval systems use to push case events.
#[component]
fn Tokens() -> impl IntoView {
    let i18n = use_i18n();
    let version = RwSignal::new(0u32);
    let tokens = LocalResource::new(move || {
        version.track();
        api::integration_tokens()
    });
    let name = RwSignal::new(String::new());
    let feedback = Feedback::new();
    let fresh = RwSignal::new(None::<String>);
    let create = Action::new_local(move |name: &String| {
        let name = name.clone();
        async move { api::create_integration_token(&name).await }
    });
    let revoke = Action::new_local(move |id: &i64| api::revoke_integration_token(*id));
    Effect::new(move |_| match create.value().get() {
        Some(Ok(token)) => {
            fresh.set(token.token);
            name.set(String::new());
            feedback.clear();
            version.update(|v| *v += 1);
        }
        Some(Err(error)) => feedback.refused(error),
        None => {}
    });
    Effect::new(move |_| {
        if let Some(result) = revoke.value().get() {
            match result {
                Ok(()) => version.update(|v| *v += 1),
                Err(error) => feedback.refused(error),
            }
        }
    });
    view! {
        <section class="card" aria-label=move || i18n.t().tokens_title>
            <h2>{move || i18n.t().tokens_title}</h2>
            <p class="note">{move || i18n.t().tokens_intro}</p>
            <form class="form form--inline" novalidate on:submit=move |ev| { ev.prevent_default(); create.dispatch(name.get_untracked()); }>
                {input("token-name".to_owned(), label(|t| t.tokens_name), name, feedback.field("name"), "text")}
                <button class="button button--primary" type="submit">{move || i18n.t().tokens_create}</button>
            </form>
            {feedback.view()}
            {move || fresh.get().map(|token| view! { <p class="banner banner--warning" role="status">{move || i18n.t().tokens_created_once} " " <code class="mono">{token.clone()}</code></p> })}
            <Loaded data=tokens let:tokens>
                {
                    view! {
                        <ul class="tokens">
                            {tokens.into_iter().map(|token| {
                                let id = token.id;
                                let revoked = token.revoked_at.is_some();
                                let created = token.created_at.clone();
                                view! {
                                    <li>
                                        {token.name.clone()} " · " {move || i18n.timestamp(&created)} " · "
                                        {move || if revoked { i18n.t().tokens_revoked } else { i18n.t().tokens_active }}
                                        {(!revoked).then(|| view! { " " <button class="button button--ghost" type="button" on:click=move |_| { revoke.dispatch(id); }>{move || i18n.t().tokens_revoke}</button> })}
                                    </li>
                                }
                            }).collect_view()}
                        </ul>
                    }
                }
            </Loaded>
        </section>
    }
}
