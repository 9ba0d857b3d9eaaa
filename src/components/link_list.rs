//! A short list of records that need someone's attention, each a link followed by its facts, or
//! a note when there are none: the overdue complaints and the cases missing their service.

use crate::i18n::{use_i18n, Messages};
use leptos::prelude::*;
use market_domain::Locale;

/// One line of a [`LinkList`].
pub struct LinkLine {
    /// Where the record is read.
    pub href: String,
    /// The record's own name, as people wrote it.
    pub label: String,
    /// The facts after the link, in the reader's language.
    pub facts: Box<dyn Fn(Locale) -> String + Send + Sync>,
}

/// Records as flagged lines, or the `none` note when the list is empty.
#[component]
pub fn LinkList(
    /// The lines, in order.
    lines: Vec<LinkLine>,
    /// The note shown when there are no lines.
    none: fn(&'static Messages) -> &'static str,
) -> impl IntoView {
    let i18n = use_i18n();
    if lines.is_empty() {
        return view! { <p class="note">{move || none(i18n.t())}</p> }.into_any();
    }
    view! {
        <ul class="flag-list">
            {lines.into_iter().map(|line| {
                let facts = line.facts;
                view! {
                    <li class="flag">
                        <a href=line.href>{line.label}</a>
                        " · " {move || facts(i18n.locale.get())}
                    </li>
                }
            }).collect_view()}
        </ul>
    }
    .into_any()
}
