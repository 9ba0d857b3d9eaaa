//! The root component and the one route table.

use crate::components::{Guarded, NotificationToast, SiteHeader};
use crate::i18n::{use_i18n, I18n};
use crate::live::LiveNotifications;
use crate::pages::{
    AccountPage, AgencyPage, ApiDocsPage, CasePage, CasesPage, ComplaintNewPage, ComplaintPage,
    ComplaintsPage, DirectoryPage, FeesPage, JobEditPage, JobNewPage, JobPage, JobsPage,
    LedgerPage, ListingEditorPage, LoginPage, MyJobsPage, NotFoundPage, NotificationsPage,
    OversightPage, RegisterPage, ReviewPage, ReviewQueuePage, StatisticsPage,
};
use crate::session::Session;
use leptos::prelude::*;
use leptos_router::components::{Route, Router, Routes};
use leptos_router::path;
use market_domain::Role;

// Who may use each signed-in page; the server enforces the same on every request.
const AGENCY: &[Role] = &[Role::Agency];
const ENTERPRISE: &[Role] = &[Role::Enterprise];
const REGULATOR: &[Role] = &[Role::Regulator];
const PARTIES: &[Role] = &[Role::Enterprise, Role::Agency];
const CASE_READERS: &[Role] = &[Role::Enterprise, Role::ApprovalOfficer, Role::Regulator];
const COMPLAINANTS: &[Role] = &[Role::Enterprise, Role::Agency, Role::ApprovalOfficer];

#[component]
pub fn App() -> impl IntoView {
    provide_context(I18n::from_storage());
    let session = Session::load();
    provide_context(session);
    LiveNotifications::provide(session);
    let i18n = use_i18n();
    view! {
        <Router>
            <SiteHeader />
            <NotificationToast />
            <main id="main" class="page" tabindex="-1">
                <Routes fallback=NotFoundPage>
                    <Route path=path!("/") view=DirectoryPage />
                    <Route path=path!("/agencies/:id") view=AgencyPage />
                    <Route path=path!("/login") view=LoginPage />
                    <Route path=path!("/register") view=RegisterPage />
                    <Route path=path!("/account") view=|| view! { <Guarded><AccountPage /></Guarded> } />
                    <Route path=path!("/my/listing") view=|| view! { <Guarded roles=AGENCY><ListingEditorPage /></Guarded> } />
                    <Route path=path!("/review") view=|| view! { <Guarded roles=REGULATOR><ReviewQueuePage /></Guarded> } />
                    <Route path=path!("/review/:id") view=|| view! { <Guarded roles=REGULATOR><ReviewPage /></Guarded> } />
                    <Route path=path!("/fees") view=FeesPage />
                    <Route path=path!("/jobs") view=JobsPage />
                    <Route path=path!("/jobs/new") view=|| view! { <Guarded roles=ENTERPRISE><JobNewPage /></Guarded> } />
                    <Route path=path!("/jobs/:id") view=JobPage />
                    <Route path=path!("/jobs/:id/edit") view=|| view! { <Guarded roles=ENTERPRISE><JobEditPage /></Guarded> } />
                    <Route path=path!("/my/jobs") view=|| view! { <Guarded roles=PARTIES><MyJobsPage /></Guarded> } />
                    <Route path=path!("/cases") view=|| view! { <Guarded roles=CASE_READERS><CasesPage /></Guarded> } />
                    <Route path=path!("/cases/:id") view=|| view! { <Guarded><CasePage /></Guarded> } />
                    <Route path=path!("/ledger") view=LedgerPage />
                    <Route path=path!("/complaints") view=ComplaintsPage />
                    <Route path=path!("/complaints/new") view=|| view! { <Guarded roles=COMPLAINANTS><ComplaintNewPage /></Guarded> } />
                    <Route path=path!("/complaints/:id") view=ComplaintPage />
                    <Route path=path!("/notifications") view=|| view! { <Guarded><NotificationsPage /></Guarded> } />
                    <Route path=path!("/oversight") view=|| view! { <Guarded roles=REGULATOR><OversightPage /></Guarded> } />
                    <Route path=path!("/statistics") view=StatisticsPage />
                    <Route path=path!("/api-docs") view=ApiDocsPage />
                </Routes>
            </main>
            <footer class="site-footer">
                <p>{move || i18n.t().product_name} " · " {move || i18n.t().product_tagline}</p>
                <p>{move || i18n.t().footer_note}</p>
                <p><a href="/api-docs">{move || i18n.t().api_docs_link}</a></p>
            </footer>
        </Router>
    }
}
