//! The directory's filter bar: service type, district and search, and on demand the sort and
//! finer filters (qualification level, no bad record, the investment a fee quote is for).
//! Split from the home route's first load, so the cards paint first; it arrives right after.

use crate::i18n::use_i18n;
use leptos::prelude::*;
use market_domain::wire::{AgencyFilter, AgencySort, COMMON_LEVELS};
use market_domain::{District, FieldError, Money, ServiceType};

/// What the directory page shares with its panel: the filter in the URL and how to go to
/// another one (from the first page).
#[derive(Clone, Copy)]
pub struct DirectoryControls {
    pub filter: Memo<Result<AgencyFilter, FieldError>>,
    pub apply: Callback<AgencyFilter>,
}

#[component]
pub fn FilterBar() -> impl IntoView {
    let i18n = use_i18n();
    let Some(controls) = use_context::<DirectoryControls>() else {
        return ().into_any();
    };
    let current = move || controls.filter.get().ok().unwrap_or_default();
    let change = move |edit: &dyn Fn(&mut AgencyFilter)| {
        let mut next = controls.filter.get_untracked().unwrap_or_default();
        edit(&mut next);
        controls.apply.run(next);
    };
    let search_text = RwSignal::new(current().q.unwrap_or_default());
    let refined = {
        let f = current();
        f.sort != AgencySort::default() || f.level.is_some() || f.clean || f.investment.is_some()
    };
    let more_open = RwSignal::new(refined);
    let selected_service = move || current().service_type.map(|s| s.code()).unwrap_or_default();
    let selected_district = move || current().district.map(|d| d.code()).unwrap_or_default();
    view! {
        <form
            class="filters"
            role="search"
            on:submit=move |ev| {
                ev.prevent_default();
                let text = search_text.get_untracked().trim().to_owned();
                change(&|f| f.q = (!text.is_empty()).then(|| text.clone()));
            }
        >
            <label class="filters__field">
                <span>{move || i18n.t().filter_service_type}</span>
                <select on:change:target=move |ev| {
                    let code = ev.target().value();
                    change(&|f| f.service_type = ServiceType::parse(&code));
                }>
                    <option value="" selected=move || selected_service().is_empty()>{move || i18n.t().filter_all}</option>
                    {ServiceType::ALL
                        .iter()
                        .map(|&service| view! {
                            <option value=service.code() selected=move || selected_service() == service.code()>
                                {move || service.name(i18n.locale.get())}
                            </option>
                        })
                        .collect_view()}
                </select>
            </label>
            <label class="filters__field">
                <span>{move || i18n.t().filter_district}</span>
                <select on:change:target=move |ev| {
                    let code = ev.target().value();
                    change(&|f| f.district = District::parse(&code));
                }>
                    <option value="" selected=move || selected_district().is_empty()>{move || i18n.t().filter_all}</option>
                    {District::ALL
                        .iter()
                        .map(|&district| view! {
                            <option value=district.code() selected=move || selected_district() == district.code()>
                                {move || district.name(i18n.locale.get())}
                            </option>
                        })
                        .collect_view()}
                </select>
            </label>
            <label class="filters__field filters__field--grow">
                <span>{move || i18n.t().filter_search}</span>
                <input
                    type="search"
                    maxlength="50"
                    placeholder=move || i18n.t().filter_search_placeholder
                    prop:value=move || search_text.get()
                    on:input:target=move |ev| search_text.set(ev.target().value())
                />
            </label>
            <div class="filters__actions">
                <button class="button button--primary" type="submit">{move || i18n.t().filter_submit}</button>
                <button
                    class="button button--ghost"
                    type="button"
                    aria-expanded=move || more_open.get().to_string()
                    on:click=move |_| more_open.update(|open| *open = !*open)
                >
                    {move || i18n.t().filter_more}
                </button>
                <a class="button button--ghost" href="/" on:click=move |_| search_text.set(String::new())>
                    {move || i18n.t().filter_reset}
                </a>
            </div>
        </form>
        <Show when=move || more_open.get()>
            <MoreFilters />
        </Show>
    }
    .into_any()
}

#[component]
fn MoreFilters() -> impl IntoView {
    let i18n = use_i18n();
    let Some(controls) = use_context::<DirectoryControls>() else {
        return ().into_any();
    };
    let current = move || controls.filter.get().ok().unwrap_or_default();
    let change = move |edit: &dyn Fn(&mut AgencyFilter)| {
        let mut next = controls.filter.get_untracked().unwrap_or_default();
        edit(&mut next);
        controls.apply.run(next);
    };
    let investment = RwSignal::new(
        current()
            .investment
            .map(|m| (m.fen() / 100).to_string())
            .unwrap_or_default(),
    );
    view! {
        <form
            class="filters filters--more"
            on:submit=move |ev| {
                ev.prevent_default();
                let amount = Money::parse_yuan(&investment.get_untracked()).ok();
                change(&|f| f.investment = amount);
            }
        >
            <label class="filters__field">
                <span>{move || i18n.t().filter_sort}</span>
                <select on:change:target=move |ev| {
                    let sort = AgencySort::parse(&ev.target().value()).unwrap_or_default();
                    change(&|f| f.sort = sort);
                }>
                    {AgencySort::ALL
                        .iter()
                        .map(|&sort| view! {
                            <option value=sort.code() selected=move || current().sort == sort>
                                {move || sort.name(i18n.locale.get())}
                            </option>
                        })
                        .collect_view()}
                </select>
            </label>
            <label class="filters__field">
                <span>{move || i18n.t().filter_level}</span>
                <select on:change:target=move |ev| {
                    let level = ev.target().value();
                    change(&|f| f.level = (!level.is_empty()).then(|| level.clone()));
                }>
                    <option value="" selected=move || current().level.is_none()>{move || i18n.t().filter_all}</option>
                    {COMMON_LEVELS
                        .iter()
                        .map(|&level| view! {
                            <option value=level selected=move || current().level.as_deref() == Some(level)>{level}</option>
                        })
                        .collect_view()}
                </select>
            </label>
            <label class="filters__field">
                <span>{move || i18n.t().filter_investment}</span>
                <input
                    type="text"
                    inputmode="decimal"
                    maxlength="16"
                    prop:value=move || investment.get()
                    on:input:target=move |ev| investment.set(ev.target().value())
                />
            </label>
            <label class="filters__field filters__field--check">
                <input
                    type="checkbox"
                    prop:checked=move || current().clean
                    on:change:target=move |ev| {
                        let clean = ev.target().checked();
                        change(&|f| f.clean = clean);
                    }
                />
                <span>{move || i18n.t().filter_clean}</span>
            </label>
            <div class="filters__actions">
                <button class="button" type="submit">{move || i18n.t().filter_apply_investment}</button>
            </div>
        </form>
    }
    .into_any()
}
