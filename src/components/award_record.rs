//! What anyone may read of an award, its objections and its rating, apart from the forms that
//! act on them: an anonymous reader of a job gets these without the role actions' chunk, and the
//! parties' screens (pages/jobs/actions.rs) add their forms through the slots below.

use crate::api;
use crate::components::Loaded;
use crate::components::RatingScores;
use crate::i18n::use_i18n;
use leptos::prelude::*;
use market_domain::wire::ObjectionStatus;

/// Renders the owner's answer form for one pending objection: `(job id, objection id)`.
pub type AnswerSlot = fn(i64, i64) -> AnyView;

/// Renders the winner's reply form under a rating without a reply: `(job id)`.
pub type ReplySlot = fn(i64) -> AnyView;

/// Objections to the award, each with its status and answer.
#[component]
pub fn ObjectionsCard(
    /// The awarded job.
    job_id: i64,
    /// The owner's answer form under each pending objection, while the owner may still answer.
    #[prop(default = None)]
    answer: Option<AnswerSlot>,
    /// The filing form for a party, under the list.
    #[prop(optional)]
    children: Option<Children>,
) -> impl IntoView {
    let i18n = use_i18n();
    let list = LocalResource::new(move || api::objections(job_id));
    view! {
        <section class="card no-print" aria-label=move || i18n.t().objections_title>
            <h2>{move || i18n.t().objections_title}</h2>
            <Loaded data=list let:objections>
                {
                    if objections.is_empty() {
                        view! { <p class="note">{move || i18n.t().objection_none}</p> }.into_any()
                    } else {
                        objections.into_iter().map(|o| {
                            let status = o.status;
                            let at = o.filed_at.clone();
                            let by = o.filed_by_role;
                            let pending = status == ObjectionStatus::Pending;
                            view! {
                                <article class="objection">
                                    <p>
                                        <strong>{move || match status {
                                            ObjectionStatus::Pending => i18n.t().objection_pending,
                                            ObjectionStatus::Upheld => i18n.t().objection_upheld,
                                            ObjectionStatus::Dismissed => i18n.t().objection_dismissed,
                                        }}</strong>
                                        " · " {move || by.name(i18n.locale.get())} " · " {move || i18n.timestamp(&at)}
                                    </p>
                                    <p>{o.reason.clone()}</p>
                                    {o.answer.clone().map(|a| view! { <p class="note">{move || i18n.t().objection_answer} ": " {a.clone()}</p> })}
                                    {answer.filter(|_| pending).map(|form| form(job_id, o.id))}
                                </article>
                            }
                        }).collect_view().into_any()
                    }
                }
            </Loaded>
            {children.map(|form| form())}
        </section>
    }
}

/// The owner's published rating of a job, with the winner's reply if there is one.
#[component]
pub fn RatingCard(
    /// The rated job.
    job_id: i64,
    /// The agency that won it, whose page carries the rating.
    agency_id: i64,
    /// The winner's reply form, shown while the rating has no reply.
    #[prop(default = None)]
    reply: Option<ReplySlot>,
) -> impl IntoView {
    let i18n = use_i18n();
    let agency = LocalResource::new(move || api::agency(agency_id));
    view! {
        <section class="card" aria-label=move || i18n.t().rating_title>
            <h2>{move || i18n.t().rating_title}</h2>
            <Loaded data=agency let:agency>
                {
                    let rating = agency.ratings.items.into_iter().find(|r| r.job_id == job_id);
                    rating.map(|r| {
                        let replied = r.reply.is_some();
                        view! {
                            <RatingScores scores=r.scores />
                            <p>{r.comment.clone()}</p>
                            {r.reply.clone().map(|text| view! { <p class="note">{move || i18n.t().rating_reply} ": " {text.clone()}</p> })}
                            {reply.filter(|_| !replied).map(|form| form(job_id))}
                        }
                    })
                }
            </Loaded>
        </section>
    }
}
