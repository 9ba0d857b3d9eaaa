//! The one way a view waits for its data: a placeholder with the content's shape while it loads,
//! the shared error view if it fails, and the previous content kept on screen while a reload runs.

use crate::api::ApiError;
use crate::components::{ErrorView, Placeholder, Skeleton};
use leptos::prelude::*;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;

/// What the frame awaits: every use's data already rendered, behind one type, so that the
/// Transition and ErrorBoundary machinery is compiled once rather than once per screen.
type Rendered = Pin<Box<dyn Future<Output = Result<AnyView, ApiError>> + Send>>;

/// Waits for `data` and renders it with the children, e.g.
/// `<Loaded data=cases let:cases> … </Loaded>`.
#[component]
pub fn Loaded<T, V, F>(
    /// The resource the content is made from.
    data: LocalResource<Result<T, ApiError>>,
    /// The placeholder's shape.
    #[prop(optional)]
    placeholder: Placeholder,
    /// Renders the loaded data; runs again each time the resource reloads.
    children: F,
) -> impl IntoView
where
    T: Clone + Send + 'static,
    V: IntoView + 'static,
    F: Fn(T) -> V + Clone + Send + Sync + 'static,
{
    let render = move || -> Rendered {
        let children = children.clone();
        Box::pin(async move {
            let data = data.await;
            // Data or an error of its own: the app can take over from a link's first screen.
            crate::boot::release();
            data.map(|value| children(value).into_any())
        })
    };
    frame(placeholder, Arc::new(render))
}

/// The non-generic half of [`Loaded`].
fn frame(placeholder: Placeholder, render: Arc<dyn Fn() -> Rendered + Send + Sync>) -> AnyView {
    view! {
        <Transition fallback=move || view! { <Skeleton shape=placeholder /> }>
            <ErrorBoundary fallback=|errors| view! { <ErrorView errors /> }>
                {
                    let render = render.clone();
                    move || Suspend::new(render())
                }
            </ErrorBoundary>
        </Transition>
    }
    .into_any()
}
