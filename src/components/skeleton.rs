//! Grey placeholders with the shape of the content, shown while it loads.

use crate::i18n::use_i18n;
use leptos::prelude::*;

/// The shape of the placeholder shown until the content arrives.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Placeholder {
    /// A block of text lines, for a detail page or one card.
    #[default]
    Detail,
    /// A grid of this many cards, for a list.
    Cards(usize),
}

/// One view for every placeholder, so the first screen carries a single skeleton.
#[component]
pub fn Skeleton(
    /// The content's shape.
    #[prop(optional)]
    shape: Placeholder,
) -> impl IntoView {
    let i18n = use_i18n();
    let (outer, count, card) = match shape {
        Placeholder::Detail => ("skeleton-stack", 1, "skeleton skeleton--detail"),
        Placeholder::Cards(count) => ("agency-grid", count, "skeleton skeleton--card"),
    };
    view! {
        <div class=outer aria-busy="true">
            <span class="visually-hidden">{move || i18n.t().loading}</span>
            {(0..count)
                .map(|_| {
                    view! {
                        <div class=card aria-hidden="true">
                            <div class="skeleton__line skeleton__line--title"></div>
                            <div class="skeleton__line"></div>
                            <div class="skeleton__line skeleton__line--short"></div>
                        </div>
                    }
                })
                .collect_view()}
        </div>
    }
}
