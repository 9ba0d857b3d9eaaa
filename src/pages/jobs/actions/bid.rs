//! An agency's sealed bid: checked locally with the domain's rules as it is typed.

use super::*;
use crate::components::Loaded;

/// The agency's bid: why it may not bid, or the form with the fee flags previewed by the same
/// domain rule the server applies.
#[component]
pub(super) fn BidPanel(
    /// The open job.
    job: JobView,
) -> impl IntoView {
    let i18n = use_i18n();
    let id = job.id;
    let eligibility = LocalResource::new(move || api::eligibility(id));
    let job = StoredValue::new(job);
    view! {
        <section class="card bid-panel" aria-label=move || i18n.t().bid_form_title>
            <h2>{move || i18n.t().bid_form_title}</h2>
            <Loaded data=eligibility let:eligibility>
                {
                    if eligibility.eligible {
                        view! { <BidForm job=job.get_value() eligibility /> }.into_any()
                    } else {
                        view! {
                            <div class="banner banner--danger" role="status">
                                <strong>{move || i18n.t().bid_not_eligible}</strong> " " {let (reason, message) = (eligibility.reason, eligibility.message.clone()); move || reason.map_or_else(|| message.clone().unwrap_or_default(), |r| r.message(i18n.locale.get()).to_owned())}
                            </div>
                        }.into_any()
                    }
                }
            </Loaded>
        </section>
    }
}

#[component]
pub(super) fn BidForm(
    /// The open job.
    job: JobView,
    /// The agency's standing on it.
    eligibility: BidEligibility,
) -> impl IntoView {
    let i18n = use_i18n();
    let id = job.id;
    let budget_ceiling = job.terms.budget_ceiling;
    let own = eligibility.own_bid.clone();
    let status = own.as_ref().map(|b| b.status);
    let price = text(
        own.as_ref()
            .map(|b| yuan_text(b.price.fen()))
            .unwrap_or_default(),
    );
    let days = text(
        own.as_ref()
            .map(|b| b.service_days.to_string())
            .unwrap_or_else(|| "30".into()),
    );
    let commitment = text(
        own.as_ref()
            .map(|b| b.commitment.clone())
            .unwrap_or_default(),
    );
    let proposal = text(own.as_ref().map(|b| b.proposal.clone()).unwrap_or_default());
    let feedback = Feedback::new();
    let update = status == Some(BidStatus::Active);
    let submit = job_action(feedback, move |bid: BidRequest| async move {
        api::submit_bid(id, &bid, update).await
    });
    let withdraw = job_action(feedback, move |()| api::withdraw_bid(id));
    let facts = job.terms.parse().ok().map(|terms| terms.facts);
    let standard = eligibility.fee_standard.clone();
    let floor_bp = eligibility.floor_ratio_bp;
    let quote = match (&standard, &facts) {
        (Some(standard), Some(facts)) => standard
            .quote(facts)
            .ok()
            .map(|q| (q, standard.discount_floor(q))),
        _ => None,
    };
    let preview = move || {
        let price = Money::parse_yuan(&price.get()).ok()?;
        let flags = fee_flags(price, standard.as_ref()?, facts.as_ref()?, floor_bp).ok()?;
        (!flags.is_empty()).then_some(flags)
    };
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        feedback.clear();
        // The same parse the server runs, so every field error shows before anything is sent.
        let (fen, service_days) = match (
            Money::parse_yuan(&price.get_untracked()),
            parse_service_days(&days.get_untracked()),
        ) {
            (Ok(money), Ok(days)) => (money.fen(), days),
            (fen, days) => {
                let mut errors = Vec::new();
                if let Err(e) = fen {
                    errors.push(FieldError::new("price", &e));
                }
                if let Err(e) = days {
                    errors.push(FieldError::new("service_days", &e));
                }
                feedback.errors.set(errors);
                return;
            }
        };
        let bid = BidRequest {
            price: fen,
            service_days,
            commitment: commitment.get_untracked(),
            proposal: proposal.get_untracked(),
        };
        if let Err(errors) = bid.parse(budget_ceiling) {
            feedback.errors.set(errors);
            return;
        }
        submit.dispatch(bid);
    };
    view! {
        {(status == Some(BidStatus::Voided)).then(|| view! { <div class="banner banner--warning" role="status">{move || i18n.t().bid_voided_notice}</div> })}
        {update.then(|| view! { <p class="banner banner--success" role="status">{move || i18n.t().bid_saved}</p> })}
        <p class="note">
            {move || match quote {
                Some((q, floor)) => fill(i18n.t().bid_quote, &[("quote", i18n.money(q)), ("floor", i18n.money(floor))]),
                None => i18n.t().bid_no_standard.to_owned(),
            }}
        </p>
        <form class="form" novalidate on:submit=on_submit>
            {input(format!("bid-price-{id}"), label(|t| t.field_bid_price), price, feedback.field("price"), "text")}
            {move || preview().map(|flags| view! {
                <p class="banner banner--warning" role="status">{move || i18n.t().bid_flag_preview} " " {flag_badges(&flags)}</p>
            })}
            {input(format!("bid-days-{id}"), label(|t| t.field_bid_days), days, feedback.field("service_days"), "number")}
            {textarea(format!("bid-commitment-{id}"), label(|t| t.field_bid_commitment), commitment, feedback.field("commitment"))}
            {textarea(format!("bid-proposal-{id}"), label(|t| t.field_bid_proposal), proposal, feedback.field("proposal"))}
            {feedback.view()}
            <div class="actions">
                <button class="button button--primary" type="submit" disabled=move || submit.pending().get()>
                    {move || match status {
                        Some(BidStatus::Active) => i18n.t().bid_update,
                        Some(BidStatus::Voided) => i18n.t().bid_reconfirm,
                        _ => i18n.t().bid_submit,
                    }}
                </button>
                {update.then(|| view! {
                    <button class="button button--ghost" type="button" on:click=move |_| { withdraw.dispatch(()); }>{move || i18n.t().bid_withdraw}</button>
                })}
            </div>
        </form>
    }
}
