//! After the award: objections, contract, delivery, acceptance, rating and the agency's reply.

use super::*;
use crate::components::Loaded;

/// Objections to the award: everyone sees them; the owner and the bidders not selected file
/// during publicity; the owner answers.
#[component]
pub(super) fn Objections(
    /// The awarded job.
    job: JobView,
) -> impl IntoView {
    let i18n = use_i18n();
    let id = job.id;
    let open = job.state == JobState::Publicity && job.award.as_ref().is_some_and(|a| !a.is_final);
    // The winner has nothing to object to; it withdraws instead, and the server refuses it too.
    let may_file = open && (job.viewer.is_owner || (job.viewer.is_bidder && !job.viewer.is_winner));
    let answer: Option<AnswerSlot> = (job.viewer.is_owner && open)
        .then_some(|job_id, objection_id| view! { <AnswerForm job_id objection_id /> }.into_any());
    let reason = text("");
    let feedback = Feedback::new();
    let file = job_action(feedback, move |request: ObjectionRequest| async move {
        api::file_objection(id, &request).await
    });
    let form = may_file.then(|| view! {
        <form class="form" novalidate on:submit=move |ev| { ev.prevent_default(); file.dispatch(ObjectionRequest { reason: reason.get_untracked() }); }>
            {textarea(format!("objection-{id}"), label(|t| t.objection_reason), reason, feedback.field("reason"))}
            {feedback.view()}
            <button class="button button--secondary" type="submit">{move || i18n.t().objection_file}</button>
        </form>
    });
    view! { <ObjectionsCard job_id=id answer>{form}</ObjectionsCard> }
}

#[component]
pub(super) fn AnswerForm(
    /// The job objected to.
    job_id: i64,
    /// The objection to answer.
    objection_id: i64,
) -> impl IntoView {
    let i18n = use_i18n();
    let upheld = RwSignal::new(false);
    let answer = text("");
    let feedback = Feedback::new();
    let send = job_action(feedback, move |request: ObjectionAnswer| async move {
        api::answer_objection(job_id, objection_id, &request).await
    });
    view! {
        <form class="form" novalidate on:submit=move |ev| { ev.prevent_default(); send.dispatch(ObjectionAnswer { upheld: upheld.get_untracked(), answer: answer.get_untracked() }); }>
            <fieldset class="choices">
                <legend>{move || i18n.t().objection_status}</legend>
                <label class="choice"><input type="radio" name=format!("upheld-{objection_id}") on:change=move |_| upheld.set(true) /><span class="choice__label">{move || i18n.t().objection_uphold}</span></label>
                <label class="choice"><input type="radio" name=format!("upheld-{objection_id}") checked on:change=move |_| upheld.set(false) /><span class="choice__label">{move || i18n.t().objection_dismiss}</span></label>
            </fieldset>
            {textarea(format!("answer-{objection_id}"), label(|t| t.objection_answer), answer, feedback.field("answer"))}
            {feedback.view()}
            <button class="button button--primary" type="submit">{move || i18n.t().objection_submit_answer}</button>
        </form>
    }
}

/// The owner sends the contract once the award is final.
#[component]
pub(super) fn ContractForm(
    /// The awarded job.
    job: JobView,
) -> impl IntoView {
    let i18n = use_i18n();
    let id = job.id;
    let award = job.award.clone();
    let is_final = award.as_ref().is_some_and(|a| a.is_final);
    let award_price = award.as_ref().map(|a| a.price);
    let amount = text(
        award
            .as_ref()
            .map(|a| yuan_text(a.price.fen()))
            .unwrap_or_default(),
    );
    let over_reason = text("");
    let starts = text("");
    let ends = text("");
    let feedback = Feedback::new();
    let propose = job_action(feedback, move |terms: ContractTerms| async move {
        api::propose_contract(id, &terms).await
    });
    let current = LocalResource::new(move || api::contract(id));
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        feedback.clear();
        let m = match Money::parse_yuan(&amount.get_untracked()) {
            Ok(m) => m,
            Err(e) => return feedback.errors.set(vec![FieldError::new("amount", &e)]),
        };
        let terms = ContractTerms {
            amount: m.fen(),
            over_reason: over_reason.get_untracked(),
            starts_on: starts.get_untracked(),
            ends_on: ends.get_untracked(),
        };
        // The server's own rules, so every field error shows before anything is sent.
        if let Some(price) = award_price {
            if let Err(errors) = terms.parse(price) {
                return feedback.errors.set(errors);
            }
        }
        propose.dispatch(terms);
    };
    if !is_final {
        return view! { <p class="note">{move || i18n.t().contract_wait_final}</p> }.into_any();
    }
    view! {
        <h3>{move || i18n.t().contract_title}</h3>
        {move || current.get().and_then(Result::ok).flatten().map(|_| view! { <p class="banner banner--success" role="status">{move || i18n.t().contract_waiting_agency}</p> })}
        <form class="form" novalidate on:submit=on_submit>
            {input(format!("contract-amount-{id}"), label(|t| t.contract_amount), amount, feedback.field("amount"), "text")}
            {input(format!("contract-over-{id}"), label(|t| t.contract_over_reason), over_reason, feedback.field("over_reason"), "text")}
            {input(format!("contract-starts-{id}"), label(|t| t.contract_starts), starts, feedback.field("starts_on"), "date")}
            {input(format!("contract-ends-{id}"), label(|t| t.contract_ends), ends, feedback.field("ends_on"), "date")}
            {feedback.view()}
            <button class="button button--primary" type="submit" disabled=move || propose.pending().get()>{move || i18n.t().contract_propose}</button>
        </form>
    }
    .into_any()
}

#[component]
pub(super) fn AcceptanceForm(
    /// The delivered job.
    job_id: i64,
) -> impl IntoView {
    let i18n = use_i18n();
    let reason = text("");
    let feedback = Feedback::new();
    let decide = job_action(feedback, move |request: AcceptanceRequest| async move {
        api::accept(job_id, &request).await
    });
    view! {
        <div class="actions">
            <button class="button button--primary" type="button" on:click=move |_| { decide.dispatch(AcceptanceRequest { accepted: true, reason: String::new() }); }>{move || i18n.t().acceptance_accept}</button>
        </div>
        <form class="form" novalidate on:submit=move |ev| { ev.prevent_default(); decide.dispatch(AcceptanceRequest { accepted: false, reason: reason.get_untracked() }); }>
            {textarea(format!("return-reason-{job_id}"), label(|t| t.acceptance_reason), reason, feedback.field("reason"))}
            {feedback.view()}
            <button class="button button--secondary" type="submit">{move || i18n.t().acceptance_return}</button>
        </form>
    }
}

#[component]
pub(super) fn RatingForm(
    /// The accepted job.
    job_id: i64,
) -> impl IntoView {
    let i18n = use_i18n();
    let scores: [RwSignal<u8>; 5] = std::array::from_fn(|_| RwSignal::new(5));
    let comment = text("");
    let feedback = Feedback::new();
    let rate = job_action(feedback, move |rating: RatingRequest| async move {
        api::rate(job_id, &rating).await
    });
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let [quality, timeliness, attitude, fee_compliance, integrity] =
            scores.map(|s| s.get_untracked());
        rate.dispatch(RatingRequest {
            quality,
            timeliness,
            attitude,
            fee_compliance,
            integrity,
            comment: comment.get_untracked(),
        });
    };
    view! {
        <h3>{move || i18n.t().rating_title}</h3>
        <form class="form" novalidate on:submit=on_submit>
            {scores.into_iter().zip(RATING_DIMENSIONS).enumerate().map(|(i, (score, name))| {
                let id = format!("rating-{job_id}-{i}");
                view! {
                    <div class="field">
                        <label class="field__label" for=id.clone()>{move || name(i18n.t())}</label>
                        <select class="field__input" id=id on:change:target=move |ev| score.set(ev.target().value().parse().unwrap_or(5))>
                            {(1..=5u8).rev().map(|n| view! { <option value=n.to_string() selected=move || score.get() == n>{format!("{n} ★")}</option> }).collect_view()}
                        </select>
                    </div>
                }
            }).collect_view()}
            {textarea(format!("rating-comment-{job_id}"), label(|t| t.rating_comment), comment, feedback.field("comment"))}
            {feedback.view()}
            <button class="button button--primary" type="submit">{move || i18n.t().rating_submit}</button>
        </form>
    }
}

/// The current winner's steps: confirm the contract or decline, then deliver.
#[component]
pub(super) fn WinnerActions(
    /// The job the reader's agency won.
    job: JobView,
) -> impl IntoView {
    let i18n = use_i18n();
    let id = job.id;
    let feedback = Feedback::new();
    let confirm = job_action(feedback, move |()| api::confirm_contract(id));
    let decline = job_action(feedback, move |()| api::withdraw_award(id));
    let summary = text("");
    let number = text("");
    let deliver = job_action(feedback, move |report: DeliveryReport| async move {
        api::deliver(id, &report).await
    });
    let contract = LocalResource::new(move || api::contract(id));
    let body = match job.state {
        JobState::Publicity => view! {
            {move || match contract.get().and_then(Result::ok).flatten() {
                Some(terms) => {
                    let amount = Money::from_fen(terms.amount).unwrap_or(Money::ZERO);
                    view! {
                        <p>{move || i18n.t().contract_amount} ": " {move || i18n.money(amount)} " · " {terms.starts_on.clone()} " — " {terms.ends_on.clone()}</p>
                        <button class="button button--primary" type="button" on:click=move |_| { confirm.dispatch(()); }>{move || i18n.t().contract_confirm}</button>
                    }.into_any()
                }
                None => view! { <p class="note">{move || i18n.t().contract_waiting_owner}</p> }.into_any(),
            }}
            <button class="button button--ghost" type="button" on:click=move |_| { decline.dispatch(()); }>{move || i18n.t().award_withdraw}</button>
        }.into_any(),
        JobState::Contracted => view! {
            <form class="form" novalidate on:submit=move |ev| { ev.prevent_default(); deliver.dispatch(DeliveryReport { summary: summary.get_untracked(), report_number: number.get_untracked() }); }>
                {textarea(format!("delivery-summary-{id}"), label(|t| t.delivery_summary), summary, feedback.field("summary"))}
                {input(format!("delivery-number-{id}"), label(|t| t.delivery_report_number), number, feedback.field("report_number"), "text")}
                <button class="button button--primary" type="submit">{move || i18n.t().delivery_submit}</button>
            </form>
        }.into_any(),
        _ => ().into_any(),
    };
    let title = match job.state {
        JobState::Contracted => label(|t| t.delivery_title),
        _ => label(|t| t.contract_title),
    };
    (matches!(job.state, JobState::Publicity | JobState::Contracted)).then(|| {
        view! {
            <section class="card job-actions" aria-label=title>
                <h2>{title}</h2>
                {body}
                {feedback.view()}
            </section>
        }
    })
}

/// The signed contract and the delivered report, for the parties and regulators.
#[component]
pub(super) fn Papers(
    /// The contracted job.
    job_id: i64,
) -> impl IntoView {
    let i18n = use_i18n();
    let papers = LocalResource::new(move || async move {
        Ok::<_, ApiError>((api::contract(job_id).await?, api::delivery(job_id).await?))
    });
    view! {
        <section class="card" aria-label=move || i18n.t().contract_title>
            <h2>{move || i18n.t().contract_title}</h2>
            <Loaded data=papers let:papers>
                {
                    let (contract, delivery) = papers;
                    view! {
                        <dl class="facts">
                            {contract.map(|terms| {
                                let amount = Money::from_fen(terms.amount).unwrap_or(Money::ZERO);
                                view! {
                                    <div class="facts__row"><dt>{move || i18n.t().contract_amount}</dt><dd>{move || i18n.money(amount)}</dd></div>
                                    <div class="facts__row"><dt>{move || i18n.t().contract_starts}</dt><dd>{terms.starts_on.clone()}</dd></div>
                                    <div class="facts__row"><dt>{move || i18n.t().contract_ends}</dt><dd>{terms.ends_on.clone()}</dd></div>
                                }
                            })}
                            {delivery.map(|report| view! {
                                <div class="facts__row"><dt>{move || i18n.t().delivery_report_number}</dt><dd>{report.report_number.clone()}</dd></div>
                                <div class="facts__row"><dt>{move || i18n.t().delivery_summary}</dt><dd>{report.summary.clone()}</dd></div>
                            })}
                        </dl>
                    }
                }
            </Loaded>
        </section>
    }
}

/// The owner's published rating of this job, and the winner's one reply.
#[component]
pub(super) fn JobRating(
    /// The rated job.
    job: JobView,
) -> impl IntoView {
    let agency_id = job.award.as_ref().map(|a| a.agency_id).unwrap_or(0);
    let reply: Option<ReplySlot> = job
        .viewer
        .is_winner
        .then_some(|job_id| view! { <ReplyForm job_id /> }.into_any());
    view! { <RatingCard job_id=job.id agency_id reply /> }
}

/// The winner's one reply to the owner's rating.
#[component]
pub(super) fn ReplyForm(
    /// The rated job.
    job_id: i64,
) -> impl IntoView {
    let i18n = use_i18n();
    let reply = text("");
    let feedback = Feedback::new();
    let send = job_action(feedback, move |request: ReplyRequest| async move {
        api::reply_rating(job_id, &request).await
    });
    view! {
        <form class="form" novalidate on:submit=move |ev| { ev.prevent_default(); send.dispatch(ReplyRequest { reply: reply.get_untracked() }); }>
            {textarea(format!("reply-{job_id}"), label(|t| t.rating_reply), reply, feedback.field("reply"))}
            {feedback.view()}
            <button class="button button--secondary" type="submit">{move || i18n.t().rating_reply_submit}</button>
        </form>
    }
}
