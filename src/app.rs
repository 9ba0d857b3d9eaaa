//! The root component and the one route table.

use crate::components::{NotificationToast, SiteHeader};
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
            <main id="main" class="page">
                <Routes fallback=NotFoundPage>
                    <Route path=path!("/") view=DirectoryPage />
                    <Route path=path!("/agencies/:id") view=AgencyPage />
                    <Route path=path!("/login") view=LoginPage />
                    <Route path=path!("/register") view=RegisterPage />
                    <Route path=path!("/account") view=AccountPage />
                    <Route path=path!("/my/listing") view=ListingEditorPage />
                    <Route path=path!("/review") view=ReviewQueuePage />
                    <Route path=path!("/review/:id") view=ReviewPage />
                    <Route path=path!("/fees") view=FeesPage />
                    <Route path=path!("/jobs") view=JobsPage />
                    <Route path=path!("/jobs/new") view=JobNewPage />
                    <Route path=path!("/jobs/:id") view=JobPage />
                    <Route path=path!("/jobs/:id/edit") view=JobEditPage />
                    <Route path=path!("/my/jobs") view=MyJobsPage />
                    <Route path=path!("/cases") view=CasesPage />
                    <Route path=path!("/cases/:id") view=CasePage />
                    <Route path=path!("/ledger") view=LedgerPage />
                    <Route path=path!("/complaints") view=ComplaintsPage />
                    <Route path=path!("/complaints/new") view=ComplaintNewPage />
                    <Route path=path!("/complaints/:id") view=ComplaintPage />
                    <Route path=path!("/notifications") view=NotificationsPage />
                    <Route path=path!("/oversight") view=OversightPage />
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
