//! `/jobs/:id/edit`: a draft, or a published job whose change voids the bids.

use super::form::{JobForm, JobFormView};
use crate::api::{self, ApiError};
use crate::components::{DetailSkeleton, ErrorView};
use leptos::prelude::*;
use market_domain::wire::JobView;

/// `/jobs/:id/edit`: a draft, or a published job whose change voids the bids.
#[component]
pub fn JobEditPage() -> impl IntoView {
    let id = crate::pages::use_id_param();
    let job = LocalResource::new(move || api::job(id.get()));
    view! {
        <Transition fallback=|| view! { <DetailSkeleton /> }>
            <ErrorBoundary fallback=|errors| view! { <ErrorView errors /> }>
                {move || Suspend::new(async move {
                    let job: JobView = job.await?;
                    let form = JobForm::from_draft(&job.terms);
                    Ok::<_, ApiError>(view! { <JobFormView form job_id=Some(job.id) state=job.state /> })
                })}
            </ErrorBoundary>
        </Transition>
    }
}
