//! Screens that load their own code when first visited (route-level code splitting), so the
//! directory a visitor lands on does not carry every console, form and chart.
//!
//! With the `split` feature (the Trunk build) each screen's view function is a
//! `#[wasm_split]` function: wasm-split moves it and everything only it reaches into its own
//! `.wasm` chunk, fetched on first call. Without the feature (native and wasm-bindgen tests)
//! the same function is an ordinary one, so the tests see the same screens.

use crate::components::Skeleton;
use crate::i18n::use_i18n;
use leptos::prelude::*;
use std::future::Future;
use std::pin::Pin;

/// A screen's code could not be fetched (offline, a deploy replaced it, a proxy refused it).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ChunkError;

#[cfg(feature = "split")]
impl From<leptos::wasm_split::SplitLoaderError> for ChunkError {
    fn from(_: leptos::wasm_split::SplitLoaderError) -> Self {
        ChunkError
    }
}

/// What a screen's loader returns: one boxed type for every screen, so the loading view below
/// is compiled once into the main module rather than once per screen.
pub type ChunkFuture = Pin<Box<dyn Future<Output = Result<AnyView, ChunkError>>>>;

/// Declares `mod $name { pub fn load() -> ChunkFuture }` rendering `$view`, split into its own
/// chunk `$chunk` in the Trunk build. Screens that share a chunk name share a file.
#[macro_export]
macro_rules! screen_chunk {
    ($name:ident, $chunk:ident, $view:expr) => {
        pub mod $name {
            #[allow(unused_imports)]
            use super::*;
            use ::leptos::prelude::{AnyView, IntoAny};
            use $crate::components::chunk::{ChunkError, ChunkFuture};

            #[cfg(feature = "split")]
            #[::leptos::wasm_split::wasm_split($chunk, wasm_split_path = ::leptos::wasm_split, fallible)]
            fn view() -> Result<AnyView, ChunkError> {
                Ok(($view)().into_any())
            }

            #[cfg(not(feature = "split"))]
            async fn view() -> Result<AnyView, ChunkError> {
                Ok(($view)().into_any())
            }

            pub fn load() -> ChunkFuture {
                Box::pin(view())
            }
        }
    };
}

/// Shows a screen from its chunk: a placeholder while the code arrives, and if it cannot be
/// fetched, an error with a retry (a failed fetch is not cached, so retrying fetches again).
#[component]
pub fn Chunk(
    /// The screen's loader, declared with [`screen_chunk!`] (`screens::name::load`).
    load: fn() -> ChunkFuture,
) -> impl IntoView {
    let i18n = use_i18n();
    let attempt = RwSignal::new(0u32);
    view! {
        <Suspense fallback=|| view! { <Skeleton /> }>
            {move || {
                attempt.track();
                // The loader's future is not Send; the app is single-threaded wasm.
                let loading = send_wrapper::SendWrapper::new(load());
                Suspend::new(async move {
                    match loading.await {
                        Ok(screen) => screen,
                        Err(ChunkError) => {
                            // The error and its retry must not stay behind a first screen.
                            crate::boot::release();
                            view! {
                                <section class="error-view" role="alert">
                                    <h2 class="error-view__title">{move || i18n.t().error_title}</h2>
                                    <p>{move || i18n.t().chunk_failed}</p>
                                    <button
                                        class="button"
                                        type="button"
                                        on:click=move |_| attempt.update(|n| *n += 1)
                                    >
                                        {move || i18n.t().error_retry}
                                    </button>
                                </section>
                            }
                                .into_any()
                        }
                    }
                })
            }}
        </Suspense>
    }
}
