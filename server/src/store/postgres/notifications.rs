//! The PostgreSQL side of [`NotificationStore`].

use super::notifications_sql;
use super::{NotificationStore, PgStore};
use super::{Pushed, StoreResult};
use async_trait::async_trait;
use market_domain::notify::{Inbox, NotificationKind, NotificationView};
use time::OffsetDateTime;
use tokio::sync::broadcast;

#[async_trait]
impl NotificationStore for PgStore {
    fn subscribe_notifications(&self) -> broadcast::Receiver<Pushed> {
        self.pushed.subscribe()
    }

    async fn inbox(&self, user_id: i64, before: Option<i64>, limit: u32) -> StoreResult<Inbox> {
        self.read(move |conn| {
            Ok(Inbox {
                items: notifications_sql::inbox(conn, user_id, before, limit)?,
                unread: notifications_sql::unread(conn, user_id)?,
            })
        })
        .await
    }

    async fn notifications_after(
        &self,
        user_id: i64,
        after: i64,
    ) -> StoreResult<Vec<NotificationView>> {
        self.read(move |conn| notifications_sql::for_user_after(conn, user_id, after))
            .await
    }

    async fn unread_notifications(&self, user_id: i64) -> StoreResult<i64> {
        self.read(move |conn| notifications_sql::unread(conn, user_id))
            .await
    }

    async fn mark_notifications_read(
        &self,
        user_id: i64,
        ids: Option<Vec<i64>>,
        at: OffsetDateTime,
    ) -> StoreResult<i64> {
        self.write(move |tx| notifications_sql::mark_read(tx, user_id, ids.as_deref(), at))
            .await
    }

    async fn notification_mutes(&self, user_id: i64) -> StoreResult<Vec<NotificationKind>> {
        self.read(move |conn| notifications_sql::mutes(conn, user_id))
            .await
    }

    async fn set_notification_mutes(
        &self,
        user_id: i64,
        muted: Vec<NotificationKind>,
    ) -> StoreResult<()> {
        self.write(move |tx| notifications_sql::set_mutes(tx, user_id, &muted))
            .await
    }

    async fn send_deadline_reminders(&self, now: OffsetDateTime) -> StoreResult<usize> {
        self.write(move |tx| notifications_sql::send_deadline_reminders(tx, now))
            .await
    }
}
