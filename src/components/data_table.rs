//! The one table markup: a scrollable frame (focusable, so keyboard users can scroll it), an
//! accessible name and column headings from the message catalogue, so every table reads the same
//! to a screen reader and scrolls the same on a phone.

use crate::i18n::{use_i18n, Messages};
use leptos::prelude::*;

/// A column heading, picked from the catalogue so it follows the reader's language.
pub type Heading = fn(&Messages) -> &'static str;

/// Where the table sits.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum TableFrame {
    /// Inside a card that already frames it.
    #[default]
    Bare,
    /// A card of its own.
    Card,
}

impl TableFrame {
    fn class(self) -> &'static str {
        match self {
            TableFrame::Bare => "table-scroll",
            TableFrame::Card => "table-scroll card",
        }
    }
}

#[component]
pub fn DataTable(
    /// The table's accessible name.
    #[prop(into)]
    label: Signal<String>,
    /// The column headings, in order.
    columns: &'static [Heading],
    /// Extra classes on the table, e.g. `table--cards` (each row a card on a phone).
    #[prop(optional)]
    modifier: &'static str,
    /// Whether the table is a card of its own.
    #[prop(optional)]
    frame: TableFrame,
    /// The rows.
    children: Children,
) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <div class=frame.class() tabindex="0">
            <table class=format!("table {modifier}") aria-label=label>
                <thead><tr>
                    {columns.iter().map(|&heading| view! { <th scope="col">{move || heading(i18n.t())}</th> }).collect_view()}
                </tr></thead>
                <tbody>{children()}</tbody>
            </table>
        </div>
    }
}
