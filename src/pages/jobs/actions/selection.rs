//! The owner's selection of a winner, by the job's published method.

use super::*;

/// The owner selects by the published method, seeing the bids with their fee flags.
#[component]
pub(super) fn SelectionPanel(
    /// The job being evaluated.
    job: JobView,
) -> impl IntoView {
    let i18n = use_i18n();
    let id = job.id;
    let method = job.terms.selection.clone();
    let bids = LocalResource::new(move || api::bids(id));
    view! {
        <h3>{move || i18n.t().select_title}</h3>
        <Loaded data=bids let:bids>
            {
                let active: Vec<BidView> = bids.iter().filter(|b| b.status == BidStatus::Active).cloned().collect();
                view! {
                    <BidRows bids />
                    <SelectionForm job_id=id method=method.clone() active />
                }
            }
        </Loaded>
    }
}

#[component]
pub(super) fn SelectionForm(
    /// The job being evaluated.
    job_id: i64,
    /// The published method.
    method: SelectionMethod,
    /// The valid bids.
    active: Vec<BidView>,
) -> impl IntoView {
    let i18n = use_i18n();
    let feedback = Feedback::new();
    let award = job_action(feedback, move |request: AwardRequest| async move {
        api::award(job_id, &request).await
    });
    // RFC 3339 times in one offset sort as text; their order stands in for the instants.
    let mut by_time: Vec<&BidView> = active.iter().collect();
    by_time.sort_by(|a, b| a.submitted_at.cmp(&b.submitted_at));
    let ranked: Vec<RankedBid> = by_time
        .iter()
        .enumerate()
        .map(|(order, b)| RankedBid {
            agency_id: b.agency_id,
            price: b.price,
            submitted: (order as i64, b.agency_id),
        })
        .collect();
    let name_of = {
        let active = active.clone();
        move |agency_id: i64| {
            active
                .iter()
                .find(|b| b.agency_id == agency_id)
                .map(|b| b.agency_name.clone())
                .unwrap_or_default()
        }
    };
    let submit_button = move || {
        view! { <button class="button button--primary" type="submit" disabled=move || award.pending().get()>{move || i18n.t().select_submit}</button> }
    };
    match method {
        SelectionMethod::LowestPrice => {
            // The same ranking the server will apply.
            let by_price: Vec<BidView> = rank_by_price(&ranked)
                .into_iter()
                .filter_map(|agency_id| active.iter().find(|b| b.agency_id == agency_id).cloned())
                .collect();
            view! {
                <form class="form" novalidate on:submit=move |ev| { ev.prevent_default(); award.dispatch(AwardRequest::default()); }>
                    <p class="note">{move || i18n.t().select_lowest_note}</p>
                    <ol class="ranking">
                        {by_price.into_iter().map(|b| { let price = b.price; view! { <li>{b.agency_name.clone()} " · " {move || i18n.money(price)}</li> } }).collect_view()}
                    </ol>
                    {feedback.view()}
                    {submit_button()}
                </form>
            }
            .into_any()
        }
        SelectionMethod::CompositeScore { criteria } => {
            let sheets: Vec<(i64, Vec<RwSignal<String>>)> = active
                .iter()
                .map(|b| (b.agency_id, criteria.iter().map(|_| text("")).collect()))
                .collect();
            let sheets = StoredValue::new(sheets);
            let criteria = StoredValue::new(criteria);
            let scores_of = move |cells: &[RwSignal<String>]| -> Vec<u32> {
                cells
                    .iter()
                    .map(|c| c.get().trim().parse::<u32>().unwrap_or(u32::MAX))
                    .collect()
            };
            let on_submit = move |ev: leptos::ev::SubmitEvent| {
                ev.prevent_default();
                let scores = sheets.with_value(|sheets| {
                    sheets
                        .iter()
                        .map(|(agency_id, cells)| ScoreSheet {
                            agency_id: *agency_id,
                            scores: cells
                                .iter()
                                .map(|c| {
                                    c.get_untracked().trim().parse::<u32>().unwrap_or(u32::MAX)
                                })
                                .collect(),
                        })
                        .collect()
                });
                award.dispatch(AwardRequest {
                    scores,
                    ..AwardRequest::default()
                });
            };
            view! {
                <form class="form" novalidate on:submit=on_submit>
                    <p class="note">{move || i18n.t().select_score_note}</p>
                    <div class="table-scroll" tabindex="0">
                        <table class="table">
                            <thead><tr>
                                <th scope="col">{move || i18n.t().bid_agency}</th>
                                {criteria.get_value().into_iter().map(|c| view! { <th scope="col">{format!("{}({})", c.name, c.weight)}</th> }).collect_view()}
                                <th scope="col">{move || i18n.t().select_total}</th>
                            </tr></thead>
                            <tbody>
                                {sheets.get_value().into_iter().map(|(agency_id, cells)| {
                                    let name = name_of(agency_id);
                                    let total_cells = cells.clone();
                                    let total = move || {
                                        criteria.with_value(|criteria| weighted_total(&scores_of(&total_cells), criteria))
                                            .map(|t| format!("{:.2}", f64::from(t) / 100.0))
                                            .unwrap_or_else(|_| "—".into())
                                    };
                                    view! {
                                        <tr>
                                            <th scope="row">{name.clone()}</th>
                                            {cells.into_iter().zip(criteria.get_value()).map(|(cell, criterion)| {
                                                let aria = format!("{name} {}", criterion.name);
                                                view! { <td><input class="field__input field__input--score" type="number" min="0" max="100" aria-label=aria prop:value=move || cell.get() on:input:target=move |ev| cell.set(ev.target().value()) /></td> }
                                            }).collect_view()}
                                            <td class="mono">{total}</td>
                                        </tr>
                                    }
                                }).collect_view()}
                            </tbody>
                        </table>
                    </div>
                    {feedback.view()}
                    {submit_button()}
                </form>
            }
            .into_any()
        }
        SelectionMethod::DirectPick => {
            let pick = RwSignal::new(None::<i64>);
            let reason = text("");
            let on_submit = move |ev: leptos::ev::SubmitEvent| {
                ev.prevent_default();
                award.dispatch(AwardRequest {
                    agency_id: pick.get_untracked(),
                    reason: reason.get_untracked(),
                    scores: Vec::new(),
                });
            };
            view! {
                <form class="form" novalidate on:submit=on_submit>
                    <p class="note">{move || i18n.t().select_direct_note}</p>
                    <fieldset class="choices">
                        <legend>{move || i18n.t().bid_agency}</legend>
                        {active.iter().map(|b| {
                            let agency_id = b.agency_id;
                            let price = b.price;
                            view! {
                                <label class="choice" class:choice--selected=move || pick.get() == Some(agency_id)>
                                    <input type="radio" name="pick" on:change=move |_| pick.set(Some(agency_id)) />
                                    <span class="choice__label">{b.agency_name.clone()} " · " {move || i18n.money(price)}</span>
                                </label>
                            }
                        }).collect_view()}
                    </fieldset>
                    <p class="field__message">{move || feedback.field("agency_id").get().map(|m| view! { <span class="field__error">{m}</span> })}</p>
                    {textarea(format!("pick-reason-{job_id}"), label(|t| t.select_reason), reason, feedback.field("reason"))}
                    {feedback.view()}
                    {submit_button()}
                </form>
            }
            .into_any()
        }
        // The draw is the server's, at opening: nothing to select.
        SelectionMethod::RandomDraw => ().into_any(),
    }
}
