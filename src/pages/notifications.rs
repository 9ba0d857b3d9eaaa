//! The inbox: every notification the user received, newest first, with read state, and the
//! per-kind settings for what to receive. New arrivals appear without a reload.

use crate::api::{self, ApiError};
use crate::components::{Loaded, Placeholder};
use crate::i18n::{set_title, use_i18n};
use crate::live::use_live;
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;
use market_domain::notify::{NotificationKind, NotificationSettings, NotificationView};

#[component]
pub fn NotificationsPage() -> impl IntoView {
    let i18n = use_i18n();
    let live = use_live();
    Effect::new(move |_| set_title(i18n.t().notifications_title, i18n.t()));
    let query = use_query_map();
    let before =
        Memo::new(move |_| query.with(|q| q.get("before").and_then(|v| v.parse::<i64>().ok())));
    let changed = RwSignal::new(0u32);
    let inbox = LocalResource::new(move || {
        live.arrivals.track();
        changed.track();
        api::inbox(before.get())
    });
    let mark = Action::new_local(move |ids: &Option<Vec<i64>>| {
        let ids = ids.clone();
        async move {
            let result = api::mark_read(ids).await;
            if let Ok(count) = &result {
                live.unread.set(count.unread);
                changed.update(|n| *n += 1);
            }
            result
        }
    });
    view! {
        <section class="notifications">
            <header class="page-header">
                <h1>{move || i18n.t().notifications_title}</h1>
                <button
                    class="button button--secondary"
                    type="button"
                    disabled=move || live.unread.get() == 0
                    on:click=move |_| {
                        mark.dispatch(None);
                    }
                >
                    {move || i18n.t().notifications_mark_all}
                </button>
            </header>
            {move || (!live.connected.get()).then(|| view! {
                <p class="note" role="status">{move || i18n.t().notifications_offline}</p>
            })}
            <Loaded data=inbox placeholder=Placeholder::Cards(3) let:inbox>
                {
                    let older = (inbox.items.len() >= 50)
                        .then(|| inbox.items.last().map(|n| format!("/notifications?before={}", n.id)))
                        .flatten();
                    view! {
                        {if inbox.items.is_empty() {
                            view! { <p class="card">{move || i18n.t().notifications_empty}</p> }.into_any()
                        } else {
                            view! {
                                <ul class="notice-list" aria-label=move || i18n.t().notifications_title>
                                    {inbox.items.into_iter().map(|n| view! { <NoticeItem notice=n mark /> }).collect_view()}
                                </ul>
                            }.into_any()
                        }}
                        {older.map(|href| view! { <a class="button button--ghost" href=href>{move || i18n.t().notifications_more}</a> })}
                    }
                }
            </Loaded>
            <MuteSettings />
        </section>
    }
}

#[component]
fn NoticeItem(
    /// The notification to show.
    notice: NotificationView,
    /// Marks notifications read.
    mark: Action<Option<Vec<i64>>, Result<market_domain::notify::UnreadCount, ApiError>>,
) -> impl IntoView {
    let i18n = use_i18n();
    let id = notice.id;
    let unread = !notice.read;
    // One copy per reactive closure: the title and body re-render when the locale changes.
    let (title, body) = (notice.clone(), notice.clone());
    let kind = notice.kind;
    let at = notice.created_at.clone();
    let datetime = notice.created_at.clone();
    view! {
        <li class=if unread { "notice notice--unread" } else { "notice" }>
            <div class="notice__meta">
                <span class="badge badge--neutral">{move || kind.label(i18n.locale.get())}</span>
                {unread.then(|| view! { <span class="notice__unread">{move || i18n.t().notifications_unread}</span> })}
                <time class="notice__time" datetime=datetime>{move || i18n.timestamp(&at)}</time>
            </div>
            <a
                class="notice__title"
                href=notice.link.clone()
                on:click=move |_| {
                    if unread {
                        mark.dispatch(Some(vec![id]));
                    }
                }
            >
                {move || title.title_in(i18n.locale.get())}
            </a>
            {(!notice.body.is_empty()).then(|| view! { <p class="notice__body">{move || body.body_in(i18n.locale.get())}</p> })}
            {unread.then(|| view! {
                <button class="button button--ghost notice__read" type="button" on:click=move |_| {
                    mark.dispatch(Some(vec![id]));
                }>
                    {move || i18n.t().notifications_mark_read}
                </button>
            })}
        </li>
    }
}

/// One checkbox per kind; ticked means received.
#[component]
fn MuteSettings() -> impl IntoView {
    let i18n = use_i18n();
    let settings = LocalResource::new(api::notification_settings);
    let muted = RwSignal::new(Vec::<NotificationKind>::new());
    Effect::new(move |_| {
        if let Some(Ok(loaded)) = settings.get() {
            muted.set(loaded.muted);
        }
    });
    let save = Action::new_local(move |_: &()| {
        let request = NotificationSettings {
            muted: muted.get_untracked(),
        };
        async move { api::save_notification_settings(&request).await }
    });
    view! {
        <section class="card notifications__settings" aria-labelledby="notification-settings">
            <h2 id="notification-settings">{move || i18n.t().notifications_settings}</h2>
            <p class="note">{move || i18n.t().notifications_settings_intro}</p>
            <form on:submit=move |ev| {
                ev.prevent_default();
                save.dispatch(());
            }>
                <fieldset class="checkbox-group">
                    <legend class="visually-hidden">{move || i18n.t().notifications_settings}</legend>
                    {NotificationKind::ALL.into_iter().map(|kind| view! {
                        <label class="checkbox">
                            <input
                                type="checkbox"
                                prop:checked=move || !muted.with(|m| m.contains(&kind))
                                on:change:target=move |ev| {
                                    let receive = ev.target().checked();
                                    muted.update(|m| {
                                        m.retain(|k| *k != kind);
                                        if !receive {
                                            m.push(kind);
                                        }
                                    });
                                }
                            />
                            {move || kind.label(i18n.locale.get())}
                        </label>
                    }).collect_view()}
                </fieldset>
                <button class="button button--primary" type="submit" disabled=move || save.pending().get()>
                    {move || i18n.t().notifications_settings_save}
                </button>
                {move || save.value().get().map(|result| match result {
                    Ok(_) => view! { <p class="banner banner--success" role="status">{move || i18n.t().notifications_settings_saved}</p> }.into_any(),
                    Err(error) => view! { <p class="banner banner--danger" role="alert">{error.to_string()}</p> }.into_any(),
                })}
            </form>
        </section>
    }
}
