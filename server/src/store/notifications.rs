//! In-app notifications, their live streams and mutes, and the deadline reminders.

use super::{Pushed, StoreResult};
use async_trait::async_trait;
use market_domain::notify::{Inbox, NotificationKind, NotificationView};
use time::OffsetDateTime;

#[async_trait]
pub trait NotificationStore: Send + Sync {
    /// A live feed of notifications, published after the transaction that wrote them commits.
    fn subscribe_notifications(&self) -> tokio::sync::broadcast::Receiver<Pushed>;

    async fn inbox(&self, user_id: i64, before: Option<i64>, limit: u32) -> StoreResult<Inbox>;

    /// The user's notifications with ids above `after`, oldest first.
    async fn notifications_after(
        &self,
        user_id: i64,
        after: i64,
    ) -> StoreResult<Vec<NotificationView>>;

    async fn unread_notifications(&self, user_id: i64) -> StoreResult<i64>;

    /// Returns the unread count afterwards.
    async fn mark_notifications_read(
        &self,
        user_id: i64,
        ids: Option<Vec<i64>>,
        at: OffsetDateTime,
    ) -> StoreResult<i64>;

    async fn notification_mutes(&self, user_id: i64) -> StoreResult<Vec<NotificationKind>>;

    async fn set_notification_mutes(
        &self,
        user_id: i64,
        muted: Vec<NotificationKind>,
    ) -> StoreResult<()>;

    async fn send_deadline_reminders(&self, now: OffsetDateTime) -> StoreResult<usize>;
}
