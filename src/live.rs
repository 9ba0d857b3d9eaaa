//! The signed-in user's live notification state: one stream per session, shared by the header's
//! unread badge, the arrival toast and the inbox page.

use crate::api::stream::{NotificationStream, StreamEvent};
use crate::session::Session;
use leptos::prelude::*;
use market_domain::notify::NoticeHeadline;

#[derive(Clone, Copy)]
pub struct LiveNotifications {
    pub unread: RwSignal<i64>,
    /// The most recent pushed notification, for the toast.
    pub latest: RwSignal<Option<NoticeHeadline>>,
    /// Bumped on every arrival, so an open inbox refetches.
    pub arrivals: RwSignal<u32>,
    pub connected: RwSignal<bool>,
}

impl LiveNotifications {
    /// Opens the stream whenever someone is signed in, and closes it when they sign out.
    pub fn provide(session: Session) -> LiveNotifications {
        let live = LiveNotifications {
            unread: RwSignal::new(0),
            latest: RwSignal::new(None),
            arrivals: RwSignal::new(0),
            connected: RwSignal::new(false),
        };
        let user = Memo::new(move |_| session.account.with(|a| a.as_ref().map(|a| a.id)));
        let stream = StoredValue::new_local(None::<NotificationStream>);
        Effect::new(move || {
            let signed_in = user.get().is_some();
            // Closes the previous user's stream before anything else.
            stream.set_value(None);
            live.unread.set(0);
            live.latest.set(None);
            if signed_in {
                stream.set_value(Some(NotificationStream::open(move |event| match event {
                    StreamEvent::Unread(count) => live.unread.set(count),
                    StreamEvent::Notification(pushed) => {
                        live.unread.set(pushed.unread);
                        live.latest.set(Some(pushed.notification));
                        live.arrivals.update(|n| *n = n.wrapping_add(1));
                    }
                    StreamEvent::Connected => live.connected.set(true),
                    StreamEvent::Disconnected => live.connected.set(false),
                })));
            }
        });
        provide_context(live);
        live
    }
}

pub fn use_live() -> LiveNotifications {
    use_context::<LiveNotifications>().expect("LiveNotifications is provided at the root")
}
