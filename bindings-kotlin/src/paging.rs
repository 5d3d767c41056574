//! Pagers and the watcher: native objects with `suspend` methods. Each call runs on the core's
//! runtime; cancelling the coroutine aborts it without moving the cursor.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

use tokio::sync::Mutex;
use webcare::NextPage;

use crate::errors::WebcareException;
use crate::models::{long, results, WebcareResult};
use crate::run;

/// Pages of a search (offset or keyset paging). `nextPage()` returns `null` when done.
#[derive(uniffi::Object)]
pub struct ResultPager {
    inner: Arc<Mutex<webcare::ResultPager>>,
}

impl std::fmt::Debug for ResultPager {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ResultPager").finish_non_exhaustive()
    }
}

impl ResultPager {
    pub(crate) fn new(p: webcare::ResultPager) -> Arc<Self> {
        Arc::new(ResultPager {
            inner: Arc::new(Mutex::new(p)),
        })
    }
}

#[uniffi::export]
impl ResultPager {
    /// The next page of results, or `null` when there are no more.
    pub async fn next_page(&self) -> Result<Option<Vec<WebcareResult>>, WebcareException> {
        let inner = self.inner.clone();
        let page = run(async move {
            let mut guard = inner.lock().await;
            guard.next_page().await
        })
        .await?;
        Ok(page.map(|p| results(p.results)))
    }

    /// The largest id seen by a keyset pager (pass it as `sinceId` to resume); `null` for an
    /// offset pager.
    pub async fn last_id(&self) -> Option<i64> {
        self.inner.lock().await.last_id().map(long)
    }
}

/// Polls a search profile for new results; each result is returned exactly once, in id order.
#[derive(uniffi::Object)]
pub struct ResultWatcher {
    inner: Arc<Mutex<webcare::Watcher>>,
    poll_interval_ms: u64,
}

impl std::fmt::Debug for ResultWatcher {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ResultWatcher").finish_non_exhaustive()
    }
}

static LIVE_WATCHERS: AtomicU64 = AtomicU64::new(0);

/// How many native watchers are alive (not yet closed or collected). For tests that check a
/// cancelled `Flow` frees its watcher.
#[uniffi::export]
pub fn live_watchers() -> u64 {
    LIVE_WATCHERS.load(Ordering::SeqCst)
}

impl Drop for ResultWatcher {
    fn drop(&mut self) {
        LIVE_WATCHERS.fetch_sub(1, Ordering::SeqCst);
    }
}

impl ResultWatcher {
    pub(crate) fn new(w: webcare::Watcher, poll_interval_ms: u64) -> Arc<Self> {
        LIVE_WATCHERS.fetch_add(1, Ordering::SeqCst);
        Arc::new(ResultWatcher {
            inner: Arc::new(Mutex::new(w)),
            poll_interval_ms,
        })
    }
}

#[uniffi::export]
impl ResultWatcher {
    /// What is new: the buffered results, or one poll's worth (possibly empty). Never sleeps.
    pub async fn next_batch(&self) -> Result<Vec<WebcareResult>, WebcareException> {
        let inner = self.inner.clone();
        let batch = run(async move { inner.lock().await.next_batch().await }).await?;
        Ok(results(batch))
    }

    /// The next new result, polling (and sleeping between polls) until there is one.
    pub async fn next(&self) -> Result<WebcareResult, WebcareException> {
        let inner = self.inner.clone();
        Ok(run(async move { inner.lock().await.next().await })
            .await?
            .into())
    }

    /// The id of the last result handed out (save it and pass it as `sinceId` to resume).
    pub async fn last_id(&self) -> Option<i64> {
        self.inner.lock().await.last_id().map(long)
    }

    /// Polls made so far.
    pub async fn polls(&self) -> u64 {
        self.inner.lock().await.polls()
    }

    /// The poll interval when there is nothing new, in milliseconds.
    pub fn poll_interval_ms(&self) -> u64 {
        self.poll_interval_ms
    }
}
