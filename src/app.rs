//! The root component and the one route table.

use crate::components::chunk::ChunkFuture;
use crate::components::{Chunk, Guarded, NotificationToast, SiteHeader};
use crate::i18n::{use_i18n, I18n};
use crate::live::LiveNotifications;
use crate::pages::{DirectoryPage, NotFoundPage};
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
/// Any signed-in account.
const SIGNED_IN: &[Role] = &[];

/// One screen from its chunk, behind the guard when `roles` is given. A plain function rather
/// than a view per route, so the loading and guard views are compiled once, not 23 times.
fn screen(load: fn() -> ChunkFuture, roles: Option<&'static [Role]>) -> AnyView {
    match roles {
        None => view! { <Chunk load=load /> }.into_any(),
        Some(roles) => view! { <Guarded roles=roles><Chunk load=load /></Guarded> }.into_any(),
    }
}

/// Every screen but the directory, each in the chunk named second. Chunks follow what one
/// visitor needs, not one per screen: every split point multiplies the small files of shared
/// code a first visit must fetch (17 chunks meant 376 such files, ~80 requests for /account),
/// and each file compresses on its own (7 chunks came to 970.6 KB brotli in 56 files, 4 chunks to
/// 900.0 KB in 13). `agency` (an agency and the fee calculator) and `notices` (jobs, the
/// ledger, complaints) are the anonymous reading pages; `console` holds every form, signed-in
/// screen, chart and the API reference, and a signed-in party's job actions
/// (pages/jobs/show.rs), since signing in already fetched it. The English catalogue is
/// `english` (i18n.rs).
mod screens {
    use crate::pages::*;
    use crate::screen_chunk;
    use leptos::prelude::*;

    screen_chunk!(agency, agency, || view! { <AgencyPage /> });
    screen_chunk!(login, console, || view! { <LoginPage /> });
    screen_chunk!(register, console, || view! { <RegisterPage /> });
    screen_chunk!(account, console, || view! { <AccountPage /> });
    screen_chunk!(listing_editor, console, || view! { <ListingEditorPage /> });
    screen_chunk!(review_queue, console, || view! { <ReviewQueuePage /> });
    screen_chunk!(review, console, || view! { <ReviewPage /> });
    screen_chunk!(fees, agency, || view! { <FeesPage /> });
    screen_chunk!(jobs, notices, || view! { <JobsPage /> });
    screen_chunk!(job, notices, || view! { <JobPage /> });
    screen_chunk!(job_new, console, || view! { <JobNewPage /> });
    screen_chunk!(job_edit, console, || view! { <JobEditPage /> });
    screen_chunk!(my_jobs, console, || view! { <MyJobsPage /> });
    screen_chunk!(cases, console, || view! { <CasesPage /> });
    screen_chunk!(case, console, || view! { <CasePage /> });
    screen_chunk!(ledger, notices, || view! { <LedgerPage /> });
    screen_chunk!(complaints, notices, || view! { <ComplaintsPage /> });
    screen_chunk!(complaint_new, console, || view! { <ComplaintNewPage /> });
    screen_chunk!(complaint, notices, || view! { <ComplaintPage /> });
    screen_chunk!(notifications, console, || view! { <NotificationsPage /> });
    screen_chunk!(oversight, console, || view! { <OversightPage /> });
    screen_chunk!(statistics, console, || view! { <StatisticsPage /> });
    screen_chunk!(api_docs, console, || view! { <ApiDocsPage /> });
    // The directory's own filter bar, in a chunk of its own fetched right after the cards.
    screen_chunk!(
        directory_filters,
        filters,
        || view! { <crate::components::FilterBar /> }
    );
}

/// The directory's filter bar (chunk `filters`), fetched once the cards' code runs.
pub fn directory_filters_load() -> crate::components::chunk::ChunkFuture {
    screens::directory_filters::load()
}

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
                    // The directory is the landing page and lives in the main module; every
                    // other screen is a chunk loaded on first visit (see `screens` below).
                    <Route path=path!("/") view=DirectoryPage />
                    <Route path=path!("/agencies/:id") view=|| screen(screens::agency::load, None) />
                    <Route path=path!("/login") view=|| screen(screens::login::load, None) />
                    <Route path=path!("/register") view=|| screen(screens::register::load, None) />
                    <Route path=path!("/account") view=|| screen(screens::account::load, Some(SIGNED_IN)) />
                    <Route path=path!("/my/listing") view=|| screen(screens::listing_editor::load, Some(AGENCY)) />
                    <Route path=path!("/review") view=|| screen(screens::review_queue::load, Some(REGULATOR)) />
                    <Route path=path!("/review/:id") view=|| screen(screens::review::load, Some(REGULATOR)) />
                    <Route path=path!("/fees") view=|| screen(screens::fees::load, None) />
                    <Route path=path!("/jobs") view=|| screen(screens::jobs::load, None) />
                    <Route path=path!("/jobs/new") view=|| screen(screens::job_new::load, Some(ENTERPRISE)) />
                    <Route path=path!("/jobs/:id") view=|| screen(screens::job::load, None) />
                    <Route path=path!("/jobs/:id/edit") view=|| screen(screens::job_edit::load, Some(ENTERPRISE)) />
                    <Route path=path!("/my/jobs") view=|| screen(screens::my_jobs::load, Some(PARTIES)) />
                    <Route path=path!("/cases") view=|| screen(screens::cases::load, Some(CASE_READERS)) />
                    <Route path=path!("/cases/:id") view=|| screen(screens::case::load, Some(SIGNED_IN)) />
                    <Route path=path!("/ledger") view=|| screen(screens::ledger::load, None) />
                    <Route path=path!("/complaints") view=|| screen(screens::complaints::load, None) />
                    <Route path=path!("/complaints/new") view=|| screen(screens::complaint_new::load, Some(COMPLAINANTS)) />
                    <Route path=path!("/complaints/:id") view=|| screen(screens::complaint::load, None) />
                    <Route path=path!("/notifications") view=|| screen(screens::notifications::load, Some(SIGNED_IN)) />
                    <Route path=path!("/oversight") view=|| screen(screens::oversight::load, Some(REGULATOR)) />
                    <Route path=path!("/statistics") view=|| screen(screens::statistics::load, None) />
                    <Route path=path!("/api-docs") view=|| screen(screens::api_docs::load, None) />
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
