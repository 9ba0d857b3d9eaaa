//! `/jobs/:id/edit`: a draft, or a published job whose change voids the bids.

use super::form::{JobForm, JobFormView};
use crate::api;
use crate::components::Loaded;
use leptos::prelude::*;
use market_domain::wire::JobView;

/// `/jobs/:id/edit`: a draft, or a published job whose change voids the bids.
#[component]
pub fn JobEditPage() -> impl IntoView {
    let id = crate::pages::use_id_param();
    let job = LocalResource::new(move || api::job(id.get()));
    view! {
        <Loaded data=job let:job>
            {
                let job: JobView = job;
                let form = JobForm::from_draft(&job.terms);
                view! { <JobFormView form job_id=Some(job.id) state=job.state /> }
            }
        </Loaded>
    }
}
