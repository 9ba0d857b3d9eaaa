//! Small labels for service types and statuses.

use leptos::prelude::*;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BadgeVariant {
    Service,
    Neutral,
    Success,
    Warning,
    Danger,
}

impl BadgeVariant {
    pub fn as_str(self) -> &'static str {
        match self {
            BadgeVariant::Service => "service",
            BadgeVariant::Neutral => "neutral",
            BadgeVariant::Success => "success",
            BadgeVariant::Warning => "warning",
            BadgeVariant::Danger => "danger",
        }
    }
}

#[component]
pub fn Badge(
    /// Colour and meaning of the badge.
    variant: BadgeVariant,
    /// The label; reactive so it follows the locale.
    #[prop(into)]
    label: Signal<String>,
) -> impl IntoView {
    view! { <span class=format!("badge badge--{}", variant.as_str())>{label}</span> }
}
