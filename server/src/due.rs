//! Work that falls due with time (opening jobs at their deadline, reminders, the daily chain
//! roots) runs in one background task, so that no GET ever writes. A reader that finds
//! something due asks the task for a run and waits briefly for it; the read itself stays
//! read-only. This module holds the handle between them and the work itself.

use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;
use tokio::sync::{watch, Notify};

/// How long a reader waits for the background run before answering with what is stored.
pub const PATIENCE: Duration = Duration::from_secs(2);

/// The handle between readers and the background task.
pub struct DueWork {
    wake: Notify,
    /// Number of the last run that started.
    started: AtomicU64,
    /// Number of the last run that finished.
    finished: watch::Sender<u64>,
}

impl Default for DueWork {
    fn default() -> Self {
        DueWork {
            wake: Notify::new(),
            started: AtomicU64::new(0),
            finished: watch::channel(0).0,
        }
    }
}

impl DueWork {
    /// Asks for a run that starts after this call and waits until it has finished, at most
    /// `patience`. False when it did not finish in time (or no task is running).
    pub async fn run_soon(&self, patience: Duration) -> bool {
        // A run already under way may have looked before the caller's work fell due, so wait
        // for the one after it.
        let wanted = self.started.load(Ordering::SeqCst) + 1;
        let mut finished = self.finished.subscribe();
        self.wake.notify_one();
        let done = tokio::time::timeout(patience, finished.wait_for(|n| *n >= wanted))
            .await
            .is_ok_and(|seen| seen.is_ok());
        done
    }

    /// Resolves when a reader asks for a run.
    pub async fn asked(&self) {
        self.wake.notified().await
    }

    /// Marks the start of a run; returns its number for [`DueWork::finish`].
    pub fn start(&self) -> u64 {
        self.started.fetch_add(1, Ordering::SeqCst) + 1
    }

    pub fn finish(&self, run: u64) {
        self.finished.send_replace(run);
    }
}

/// What falls due with time: opening jobs at their deadline and the 24 h deadline reminders.
/// The background watch runs it every few seconds; the test clock runs it after each move.
pub async fn run_due_work(state: &crate::state::AppState) {
    if let Err(error) = settle_due_jobs(state).await {
        tracing::warn!(?error, "opening due jobs failed");
    }
    if let Err(error) = state.store.send_deadline_reminders(state.clock.now()).await {
        tracing::warn!(?error, "sending deadline reminders failed");
    }
}

/// Opens every job whose deadline has passed; the server runs this every few seconds so that
/// results do not wait for a reader.
pub async fn settle_due_jobs(state: &crate::state::AppState) -> crate::error::ApiResult<usize> {
    let now = state.clock.now();
    let due = state.store.due_jobs(now).await?;
    for id in &due {
        state.store.settle_job(*id, now).await?;
    }
    Ok(due.len())
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Arc;

    #[tokio::test]
    async fn a_reader_waits_for_a_run_that_starts_after_it_asked() {
        let due = Arc::new(DueWork::default());
        // A run under way when the reader asks does not count: it may have missed the work.
        let early = due.start();
        let worker = {
            let due = Arc::clone(&due);
            tokio::spawn(async move {
                due.asked().await;
                due.finish(early);
                let run = due.start();
                due.finish(run);
                run
            })
        };
        assert!(due.run_soon(Duration::from_secs(5)).await);
        assert_eq!(worker.await.unwrap(), 2);
    }

    #[tokio::test]
    async fn without_a_worker_the_reader_gives_up_after_its_patience() {
        let due = DueWork::default();
        assert!(!due.run_soon(Duration::from_millis(10)).await);
    }
}
