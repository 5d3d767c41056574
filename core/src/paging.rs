//! Paging: offset pages ([`Pager`]), `sinceId` keyset pages ([`KeysetPager`]) and polling for new
//! results ([`Watcher`]).
//!
//! Each pager has an `async fn next_page()` (what the bindings wrap) and `into_stream()` (what
//! Rust code uses). `uniqueId`s grow with time, which the keyset pager and the watcher rely on:
//! `sinceId:X` asks for results with an id above `X`, oldest first.

use std::collections::VecDeque;
use std::sync::Arc;
use std::time::Duration;

use futures::stream::BoxStream;
use futures::StreamExt;

/// A boxed stream of results (`Unpin`, so `.next().await` works directly).
pub type ResultStream = BoxStream<'static, Result<WebcareResult>>;

use crate::client::Client;
use crate::error::Result;
use crate::filter::{Filter, Order};
use crate::model::{Page, WebcareResult};
use crate::transport::HttpResponse;

fn flatten<P>(pager: P) -> ResultStream
where
    P: NextPage + Send + 'static,
{
    Box::pin(async_stream::stream! {
        let mut pager = pager;
        loop {
            match pager.next_page().await {
                Ok(Some(page)) => {
                    for r in page.results {
                        yield Ok(r);
                    }
                }
                Ok(None) => break,
                Err(e) => {
                    yield Err(e);
                    break;
                }
            }
        }
    })
}

/// Something that yields pages.
pub trait NextPage {
    /// The next page, or `None` when done.
    fn next_page(&mut self) -> impl std::future::Future<Output = Result<Option<Page>>> + Send;
}

/// The rows of one decoded page: typed results, or (feature `arrow`) Arrow columns.
pub trait Rows: Send + 'static {
    /// The number of rows.
    fn len(&self) -> usize;
    /// Keep the first `n` rows.
    fn truncate(&mut self, n: usize);
    /// Whether there are no rows.
    fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

impl Rows for Vec<WebcareResult> {
    fn len(&self) -> usize {
        Vec::len(self)
    }
    fn truncate(&mut self, n: usize) {
        Vec::truncate(self, n)
    }
}

/// How a [`Pager`] decodes the body of a search response: into [`WebcareResult`]s
/// ([`TypedDecoder`], the default) or, with the `arrow` feature, straight into Arrow columns
/// ([`crate::arrow::ArrowDecoder`]).
pub trait PageDecoder: Clone + Send + Sync + 'static {
    /// What one page decodes to.
    type Rows: Rows;
    /// The rows of a 2xx search response and `data.total`, or the decoding error.
    fn decode(&self, resp: &HttpResponse, path: &str) -> Result<(Self::Rows, Option<u64>)>;
}

/// Decodes search pages into [`WebcareResult`]s.
#[derive(Debug, Clone, Copy, Default)]
pub struct TypedDecoder;

impl PageDecoder for TypedDecoder {
    type Rows = Vec<WebcareResult>;
    fn decode(&self, resp: &HttpResponse, path: &str) -> Result<(Self::Rows, Option<u64>)> {
        crate::client::decode_search(resp, path)
    }
}

/// A page as a pager hands it out: its rows, where it starts, the size asked for, and the
/// server's total.
#[derive(Debug, Clone)]
pub struct RowsPage<R> {
    /// The rows, in the order served.
    pub rows: R,
    /// The offset this page was asked for.
    pub offset: u64,
    /// The page size asked for.
    pub limit: u32,
    /// The total count, when the server reports one.
    pub total: Option<u64>,
}

/// Offset paging over every result of a filter.
///
/// While the caller handles one page, the next one is already being fetched and decoded. Once
/// the server has reported a total, up to [`Pager::pages_ahead`] pages ([`PAGES_AHEAD`] by
/// default) after the caller's are requested at once and decoded in parallel on the runtime's
/// blocking threads (each assumed full; dropped when a page comes back short; at most one page
/// per core decodes at a time), so the server works on the next pages while the client
/// decodes. A slow caller holds the requests back: never more than that many pages are ahead of
/// it. Dropping the pager cancels what is in flight; a caller that stops early has made at most
/// that many requests it did not need.
pub struct Pager<D: PageDecoder = TypedDecoder> {
    client: Client,
    decoder: D,
    profile: String,
    filter: Filter,
    page_size: u32,
    next_offset: u64,
    remaining: Option<u64>,
    done: bool,
    pages: u64,
    yielded: u64,
    /// How many pages to fetch ahead once the total is known (0: none).
    pages_ahead: usize,
    /// The pages fetched ahead, in offset order from `next_offset` on.
    ahead: VecDeque<Prefetch<D::Rows>>,
    /// The server's total from the last page (lets more than one page be fetched ahead).
    known_total: Option<u64>,
}

/// How many pages a [`Pager`] fetches ahead of its caller by default once the server has
/// reported a total (one before that); see [`Pager::pages_ahead`].
pub const PAGES_AHEAD: usize = 2;

/// How many pages ahead a pull into columns fetches ([`ResultPager::next_batch`], the DataFrame
/// exports), unless fetching ahead is off or set higher:
/// there the decoding is the bottleneck, so more pages decode at once, and each page held ahead
/// is columns, not results. A 100,000-result pull in pages of 500 took 0.48 / 0.34 / 0.29 /
/// 0.26 / 0.24 s with 1 / 2 / 3 / 4 / 8 pages ahead.
pub const COLUMNAR_PAGES_AHEAD: usize = 4;

/// The most pages a [`Pager`] fetches ahead (each is a request in flight and a page held).
pub const MAX_PAGES_AHEAD: usize = 32;

/// A page being fetched ahead: its offset and size, and the task (aborted on drop).
struct Prefetch<R> {
    offset: u64,
    size: u32,
    task: AbortOnDrop<Result<RowsPage<R>>>,
}

/// Pages decoded at once by all pagers of the process: one per core. More would only add
/// threads (each with its own allocator arenas), not speed.
fn decode_permits() -> Arc<tokio::sync::Semaphore> {
    static PERMITS: std::sync::OnceLock<Arc<tokio::sync::Semaphore>> = std::sync::OnceLock::new();
    PERMITS
        .get_or_init(|| {
            let cores = std::thread::available_parallelism().map_or(2, |n| n.get());
            Arc::new(tokio::sync::Semaphore::new(cores))
        })
        .clone()
}

/// What a fetch task needs (shared by the tasks of a pager).
struct FetchPlan<D> {
    client: Client,
    decoder: D,
    profile: String,
    filter: Filter,
}

impl<D: PageDecoder> FetchPlan<D> {
    /// Fetch the page at `offset` and decode it: on the runtime's blocking threads when
    /// `off_worker` (pages fetched ahead: several decode in parallel, and the runtime's workers
    /// stay free to send and receive the other requests), else on the calling task.
    fn fetch(
        self: Arc<Self>,
        offset: u64,
        size: u32,
        off_worker: bool,
    ) -> futures::future::BoxFuture<'static, Result<RowsPage<D::Rows>>> {
        Box::pin(async move {
            let mut f = self.filter.clone();
            f.limit = Some(size);
            f.offset = Some(offset);
            let (resp, path) = self
                .client
                .results()
                .search_response(&self.profile, &f)
                .await?;
            let (rows, total) = if off_worker {
                let failed = |e: &dyn std::fmt::Display| {
                    crate::Error::new(
                        crate::ErrorKind::Server,
                        format!("decoding a page failed: {e}"),
                    )
                };
                let permit = decode_permits()
                    .acquire_owned()
                    .await
                    .map_err(|e| failed(&e))?;
                let decoder = self.decoder.clone();
                // The permit goes with the decoding: it is given back when the decoding ends,
                // even if this task is aborted meanwhile.
                tokio::task::spawn_blocking(move || {
                    let _permit = permit;
                    decoder.decode(&resp, &path)
                })
                .await
                .map_err(|e| failed(&e))??
            } else {
                self.decoder.decode(&resp, &path)?
            };
            Ok(RowsPage {
                rows,
                offset,
                limit: size,
                total,
            })
        })
    }
}

struct AbortOnDrop<T>(tokio::task::JoinHandle<T>);

impl<T> Drop for AbortOnDrop<T> {
    fn drop(&mut self) {
        self.0.abort();
    }
}

impl<D: PageDecoder> Clone for Pager<D> {
    /// A clone starts from the same position without sharing a page fetched ahead.
    fn clone(&self) -> Pager<D> {
        Pager {
            client: self.client.clone(),
            decoder: self.decoder.clone(),
            profile: self.profile.clone(),
            filter: self.filter.clone(),
            ahead: VecDeque::new(),
            ..*self
        }
    }
}

impl<D: PageDecoder> std::fmt::Debug for Pager<D> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Pager")
            .field("profile", &self.profile)
            .field("filter", &self.filter.render())
            .field("page_size", &self.page_size)
            .field("next_offset", &self.next_offset)
            .field("remaining", &self.remaining)
            .field("done", &self.done)
            .field(
                "fetching_ahead",
                &self.ahead.iter().map(|p| p.offset).collect::<Vec<_>>(),
            )
            .finish()
    }
}

impl Pager {
    pub(crate) fn new(
        client: Client,
        profile: &str,
        filter: &Filter,
        max_results: Option<u64>,
    ) -> Pager {
        let page_size = filter.limit.unwrap_or_else(|| client.page_size());
        let start = filter.offset.unwrap_or(0);
        Pager {
            next_offset: start,
            client,
            decoder: TypedDecoder,
            profile: profile.to_string(),
            filter: filter.clone(),
            page_size,
            remaining: max_results,
            done: max_results == Some(0),
            pages: 0,
            yielded: 0,
            pages_ahead: PAGES_AHEAD,
            ahead: VecDeque::new(),
            known_total: None,
        }
    }

    /// All pages as a stream of results.
    pub fn into_stream(self) -> ResultStream {
        flatten(self)
    }
}

impl<D: PageDecoder> Pager<D> {
    /// The same pager, decoding with `decoder` from the next page on (a page fetched ahead
    /// with the old decoder is dropped and fetched again).
    pub fn with_decoder<D2: PageDecoder>(self, decoder: D2) -> Pager<D2> {
        Pager {
            client: self.client,
            decoder,
            profile: self.profile,
            filter: self.filter,
            page_size: self.page_size,
            next_offset: self.next_offset,
            remaining: self.remaining,
            done: self.done,
            pages: self.pages,
            yielded: self.yielded,
            pages_ahead: self.pages_ahead,
            ahead: VecDeque::new(),
            known_total: self.known_total,
        }
    }

    /// The decoder.
    pub fn decoder(&self) -> &D {
        &self.decoder
    }

    /// Turn fetching ahead on ([`PAGES_AHEAD`] pages, the default) or off.
    pub fn prefetch(self, enabled: bool) -> Pager<D> {
        self.pages_ahead(if enabled { PAGES_AHEAD } else { 0 })
    }

    /// Fetch up to `n` pages ahead of the caller once the server has reported a total (one
    /// before that; 0 turns fetching ahead off). More pages ahead decode on more cores and hide
    /// the server's latency, and hold more memory: about a page's response and its decoded rows
    /// each. A larger `n` counts as [`MAX_PAGES_AHEAD`].
    pub fn pages_ahead(mut self, n: usize) -> Pager<D> {
        self.pages_ahead = n.min(MAX_PAGES_AHEAD);
        self.ahead.truncate(self.pages_ahead);
        self
    }

    fn page_request(&self) -> (u64, u32) {
        (self.next_offset, self.size_for(self.remaining))
    }

    /// The size of a page asked for when `remaining` results are still wanted.
    fn size_for(&self, remaining: Option<u64>) -> u32 {
        match remaining {
            Some(r) => u32::try_from(r).unwrap_or(u32::MAX).min(self.page_size),
            None => self.page_size,
        }
    }

    fn plan(&self) -> Arc<FetchPlan<D>> {
        Arc::new(FetchPlan {
            client: self.client.clone(),
            decoder: self.decoder.clone(),
            profile: self.profile.clone(),
            filter: self.filter.clone(),
        })
    }

    /// The pages after the caller's that should be in flight: up to `pages_ahead` once the
    /// server has reported a total (but none past the first at or beyond it: the total may be
    /// stale, so the next page is always asked for), else one; each assumed full.
    fn pages_to_fetch_ahead(&self) -> Vec<(u64, u32)> {
        let depth = if self.known_total.is_some() {
            self.pages_ahead
        } else {
            self.pages_ahead.min(1)
        };
        let mut out = Vec::with_capacity(depth);
        let (mut offset, mut remaining) = (self.next_offset, self.remaining);
        while out.len() < depth {
            let size = self.size_for(remaining);
            let past_total = !out.is_empty() && self.known_total.is_some_and(|t| offset >= t);
            if size == 0 || past_total {
                break;
            }
            out.push((offset, size));
            offset += u64::from(size);
            remaining = remaining.map(|r| r.saturating_sub(u64::from(size)));
        }
        out
    }

    /// Keep the pages of [`Self::pages_to_fetch_ahead`] in flight: the ones already requested
    /// stay (while they are the ones wanted), the missing ones are requested now.
    fn fetch_ahead(&mut self) {
        let Ok(handle) = tokio::runtime::Handle::try_current() else {
            return;
        };
        let want = self.pages_to_fetch_ahead();
        let keep = self
            .ahead
            .iter()
            .zip(&want)
            .take_while(|(p, (offset, size))| p.offset == *offset && p.size == *size)
            .count();
        self.ahead.truncate(keep);
        if want.len() > keep {
            let plan = self.plan();
            for &(offset, size) in &want[keep..] {
                let task = handle.spawn(plan.clone().fetch(offset, size, true));
                self.ahead.push_back(Prefetch {
                    offset,
                    size,
                    task: AbortOnDrop(task),
                });
            }
        }
    }

    /// Pages fetched so far.
    pub fn pages_fetched(&self) -> u64 {
        self.pages
    }

    /// Results yielded so far.
    pub fn results_yielded(&self) -> u64 {
        self.yielded
    }

    /// The offset of the next page.
    pub fn next_offset(&self) -> u64 {
        self.next_offset
    }

    /// Whether the last page was reached.
    pub fn is_done(&self) -> bool {
        self.done
    }

    /// The next page's rows, or `None` when done.
    pub async fn next_rows(&mut self) -> Result<Option<RowsPage<D::Rows>>> {
        if self.done {
            return Ok(None);
        }
        let (offset, size) = self.page_request();
        if !self
            .ahead
            .front()
            .is_some_and(|p| p.offset == offset && p.size == size)
        {
            self.ahead.clear();
        }
        // The page fetched ahead stays queued while it is awaited: a caller that gives up
        // waiting (its future dropped) finds it still on its way on the next call.
        let joined = match self.ahead.front_mut() {
            Some(p) => Some((&mut p.task.0).await),
            None => None,
        };
        let fetched = match joined {
            Some(Ok(r)) => {
                self.ahead.pop_front();
                r
            }
            // Cancelled or panicked: fetch it here instead.
            Some(Err(_)) => {
                self.ahead.pop_front();
                self.plan().fetch(offset, size, false).await
            }
            None => self.plan().fetch(offset, size, false).await,
        };
        let mut page = match fetched {
            Ok(page) => page,
            Err(e) => {
                // The caller may retry this page: the pages after it are asked for again then.
                self.ahead.clear();
                return Err(e);
            }
        };
        if page.total.is_some() {
            self.known_total = page.total;
        }
        self.pages += 1;
        let got = page.rows.len() as u64;
        if let Some(r) = self.remaining.as_mut() {
            page.rows
                .truncate(usize::try_from(*r).unwrap_or(usize::MAX));
            *r = r.saturating_sub(got);
            if *r == 0 {
                self.done = true;
            }
        }
        if got < u64::from(size) {
            self.done = true;
        }
        self.next_offset += got;
        self.yielded += page.rows.len() as u64;
        if page.rows.is_empty() {
            self.done = true;
            return Ok(None);
        }
        if self.done || self.pages_ahead == 0 {
            self.ahead.clear();
        } else {
            self.fetch_ahead();
        }
        Ok(Some(page))
    }
}

impl NextPage for Pager {
    async fn next_page(&mut self) -> Result<Option<Page>> {
        Ok(self.next_rows().await?.map(|p| Page {
            results: p.rows,
            offset: p.offset,
            limit: p.limit,
            total: p.total,
        }))
    }
}

/// Keyset paging (`sinceId`), oldest first: every result after an id.
#[derive(Debug, Clone)]
pub struct KeysetPager {
    client: Client,
    profile: String,
    filter: Filter,
    page_size: u32,
    last_id: u64,
    remaining: Option<u64>,
    done: bool,
}

impl KeysetPager {
    pub(crate) fn new(
        client: Client,
        profile: &str,
        filter: &Filter,
        since_id: u64,
        max_results: Option<u64>,
    ) -> KeysetPager {
        KeysetPager {
            page_size: filter.limit.unwrap_or_else(|| client.page_size()),
            client,
            profile: profile.to_string(),
            filter: filter.clone(),
            last_id: since_id,
            remaining: max_results,
            done: max_results == Some(0),
        }
    }

    /// The largest id seen (pass it as `since_id` to resume).
    pub fn last_id(&self) -> u64 {
        self.last_id
    }

    /// All pages as a stream of results.
    pub fn into_stream(self) -> ResultStream {
        flatten(self)
    }

    async fn fetch(&mut self) -> Result<Vec<WebcareResult>> {
        let size = match self.remaining {
            Some(r) => u32::try_from(r).unwrap_or(u32::MAX).min(self.page_size),
            None => self.page_size,
        };
        let mut f = self.filter.clone();
        f.since_id = Some(self.last_id);
        f.order = Some(Order::LeastRecent);
        f.offset = None;
        f.limit = Some(size);
        let page = self.client.results().search(&self.profile, &f).await?;
        let mut results = page.results;
        // Defensive: keep only ids above the cursor, in ascending order, once each.
        results.retain(|r| r.unique_id > self.last_id);
        results.sort_by_key(|r| r.unique_id);
        results.dedup_by_key(|r| r.unique_id);
        if let Some(r) = self.remaining.as_mut() {
            results.truncate(usize::try_from(*r).unwrap_or(usize::MAX));
            *r = r.saturating_sub(results.len() as u64);
            if *r == 0 {
                self.done = true;
            }
        }
        if let Some(last) = results.last() {
            self.last_id = last.unique_id;
        }
        if (results.len() as u64) < u64::from(size) {
            self.done = true;
        }
        Ok(results)
    }
}

impl NextPage for KeysetPager {
    async fn next_page(&mut self) -> Result<Option<Page>> {
        if self.done {
            return Ok(None);
        }
        let results = self.fetch().await?;
        if results.is_empty() {
            self.done = true;
            return Ok(None);
        }
        Ok(Some(Page {
            limit: self.page_size,
            offset: 0,
            total: None,
            results,
        }))
    }
}

/// Offset or keyset paging behind one type (see [`crate::Results::pages`]): keyset when a
/// starting id is given, offset otherwise.
#[derive(Debug, Clone)]
pub enum ResultPager {
    /// By offset, in the filter's order.
    Offset(Pager),
    /// By `sinceId`, oldest first.
    Keyset(KeysetPager),
    /// By offset, decoding straight into Arrow columns (what [`ResultPager::next_batch`]
    /// switches an offset pager to).
    #[cfg(feature = "arrow")]
    Columnar(Pager<crate::arrow::ArrowDecoder>),
    /// By offset, writing each page as normalized JSON text (what [`ResultPager::next_json`]
    /// switches an offset pager to).
    Json(Pager<crate::json::JsonDecoder>),
}

impl ResultPager {
    /// For keyset paging, the largest id seen (pass it as the starting id to resume).
    pub fn last_id(&self) -> Option<u64> {
        match self {
            ResultPager::Keyset(k) => Some(k.last_id()),
            _ => None,
        }
    }

    /// All pages as a stream of results.
    pub fn into_stream(self) -> ResultStream {
        flatten(self)
    }

    /// Move the pager out, leaving a finished one in its place.
    fn take(&mut self) -> ResultPager {
        let client = match self {
            ResultPager::Offset(p) => p.client.clone(),
            ResultPager::Keyset(k) => k.client.clone(),
            #[cfg(feature = "arrow")]
            ResultPager::Columnar(p) => p.client.clone(),
            ResultPager::Json(p) => p.client.clone(),
        };
        let finished = KeysetPager::new(client, "", &Filter::default(), 0, Some(0));
        std::mem::replace(self, ResultPager::Keyset(finished))
    }

    /// Back to typed decoding, for an offset pager that `next_batch` or `next_json` switched.
    fn switch_to_typed(&mut self) {
        if !matches!(self, ResultPager::Offset(_) | ResultPager::Keyset(_)) {
            *self = match self.take() {
                #[cfg(feature = "arrow")]
                ResultPager::Columnar(p) => ResultPager::Offset(p.with_decoder(TypedDecoder)),
                ResultPager::Json(p) => ResultPager::Offset(p.with_decoder(TypedDecoder)),
                other => other,
            };
        }
    }

    /// The next page as one Arrow record batch (standard columns plus `decoder`'s extra
    /// fields), or `None` when done. Offset pages are decoded straight into columns (an offset
    /// pager switches to that from here on); keyset pages are decoded into results first.
    #[cfg(feature = "arrow")]
    pub async fn next_batch(
        &mut self,
        decoder: &crate::arrow::ArrowDecoder,
    ) -> Result<Option<arrow_array::RecordBatch>> {
        let needs_switch = match self {
            ResultPager::Offset(_) | ResultPager::Json(_) => true,
            ResultPager::Columnar(p) => p.decoder().extra() != decoder.extra(),
            ResultPager::Keyset(_) => false,
        };
        if needs_switch {
            if matches!(self, ResultPager::Json(_)) {
                self.switch_to_typed();
            }
            *self = match self.take() {
                // A pull into columns is bound by decoding: more pages ahead decode on more
                // cores (unless fetching ahead was turned off).
                ResultPager::Offset(p) => {
                    let ahead = if p.pages_ahead == 0 {
                        0
                    } else {
                        COLUMNAR_PAGES_AHEAD.max(p.pages_ahead)
                    };
                    ResultPager::Columnar(p.with_decoder(decoder.clone()).pages_ahead(ahead))
                }
                ResultPager::Columnar(p) => ResultPager::Columnar(p.with_decoder(decoder.clone())),
                other => other,
            };
        }
        match self {
            ResultPager::Columnar(p) => Ok(p.next_rows().await?.map(|page| page.rows)),
            ResultPager::Keyset(k) => match k.next_page().await? {
                None => Ok(None),
                Some(page) => crate::arrow::batch_with(&page.results, decoder.extra()).map(Some),
            },
            ResultPager::Offset(_) | ResultPager::Json(_) => Err(crate::Error::new(
                crate::ErrorKind::Server,
                "internal: the offset pager was not switched to columns",
            )),
        }
    }

    /// The next page as normalized JSON text ([`crate::json::JsonRows`] in `layout`), or
    /// `None` when done. Offset pages are written straight from the response (an offset pager
    /// switches to that from here on, keeping its pages-ahead setting; pages already fetched
    /// ahead with another decoder are fetched again); keyset pages are decoded into
    /// results first. What the Node binding streams: one text per page instead of a JS object
    /// built property by property for each result.
    pub async fn next_json(
        &mut self,
        layout: crate::json::Layout,
    ) -> Result<Option<RowsPage<crate::json::JsonRows>>> {
        let needs_switch = match self {
            ResultPager::Json(p) => p.decoder().layout != layout,
            ResultPager::Keyset(_) => false,
            _ => true,
        };
        if needs_switch {
            let decoder = crate::json::JsonDecoder { layout };
            *self = match self.take() {
                ResultPager::Offset(p) => ResultPager::Json(p.with_decoder(decoder)),
                #[cfg(feature = "arrow")]
                ResultPager::Columnar(p) => ResultPager::Json(p.with_decoder(decoder)),
                ResultPager::Json(p) => ResultPager::Json(p.with_decoder(decoder)),
                keyset => keyset,
            };
        }
        match self {
            ResultPager::Json(p) => p.next_rows().await,
            ResultPager::Keyset(k) => match k.next_page().await? {
                None => Ok(None),
                Some(page) => Ok(Some(RowsPage {
                    rows: crate::json::JsonRows::from_results(&page.results, layout)?,
                    offset: page.offset,
                    limit: page.limit,
                    total: page.total,
                })),
            },
            _ => Err(crate::Error::new(
                crate::ErrorKind::Server,
                "internal: the offset pager was not switched to JSON pages",
            )),
        }
    }
}

impl NextPage for ResultPager {
    async fn next_page(&mut self) -> Result<Option<Page>> {
        self.switch_to_typed();
        match self {
            ResultPager::Offset(p) => p.next_page().await,
            ResultPager::Keyset(p) => p.next_page().await,
            _ => Err(crate::Error::new(
                crate::ErrorKind::Server,
                "internal: the pager was not switched to typed pages",
            )),
        }
    }
}

/// Options for [`Watcher`].
#[derive(Debug, Clone, Default)]
pub struct WatchOptions {
    /// Resume after this id (exclusive). `None` starts after the newest result at the time of the
    /// first poll (only results that arrive later are yielded).
    pub since_id: Option<u64>,
    /// The poll interval when there is nothing new (default: the client's).
    pub poll_interval: Option<Duration>,
}

/// Polls for new results and yields each exactly once, in id order.
///
/// The filter's `order`, `sinceId`, `offset` and `limit` are set by the watcher. Errors are
/// returned from [`Watcher::next`] without moving the cursor, so calling `next` again after an
/// error retries and loses nothing.
#[derive(Debug)]
pub struct Watcher {
    client: Client,
    profile: String,
    filter: Filter,
    /// Where the next poll starts (the largest id fetched).
    cursor: Option<u64>,
    /// The id of the last result handed out (or the starting point).
    last_yielded: Option<u64>,
    poll_interval: Duration,
    buffer: VecDeque<WebcareResult>,
    polls: u64,
}

impl Watcher {
    pub(crate) fn new(
        client: Client,
        profile: &str,
        filter: &Filter,
        options: WatchOptions,
    ) -> Watcher {
        Watcher {
            poll_interval: options
                .poll_interval
                .unwrap_or_else(|| client.poll_interval()),
            client,
            profile: profile.to_string(),
            filter: filter.clone(),
            cursor: options.since_id,
            last_yielded: options.since_id,
            buffer: VecDeque::new(),
            polls: 0,
        }
    }

    /// The id of the last result handed out (or the starting point). Save it and pass it as
    /// [`WatchOptions::since_id`] to resume without losing or repeating a result.
    pub fn last_id(&self) -> Option<u64> {
        self.last_yielded
    }

    /// Polls made so far.
    pub fn polls(&self) -> u64 {
        self.polls
    }

    async fn start_id(&self) -> Result<u64> {
        let mut f = self.filter.clone();
        f.order = Some(Order::MostRecent);
        f.since_id = None;
        f.offset = None;
        f.limit = Some(1);
        f.new_results = None;
        let page = self.client.results().search(&self.profile, &f).await?;
        Ok(page.results.first().map_or(0, |r| r.unique_id))
    }

    /// Poll once: fetch what is new (all pages) into the buffer. Returns how many arrived.
    pub async fn poll(&mut self) -> Result<usize> {
        let since = match self.cursor {
            Some(id) => id,
            None => {
                let id = self.start_id().await?;
                self.cursor = Some(id);
                self.last_yielded = Some(id);
                id
            }
        };
        self.polls += 1;
        let mut f = self.filter.clone();
        f.new_results = None;
        let mut pager = KeysetPager::new(self.client.clone(), &self.profile, &f, since, None);
        let mut fresh = Vec::new();
        while let Some(page) = pager.next_page().await? {
            fresh.extend(page.results);
        }
        // Only advance the cursor once the whole poll succeeded, so an error loses nothing.
        let n = fresh.len();
        if let Some(last) = fresh.last() {
            self.cursor = Some(last.unique_id);
        }
        self.buffer.extend(fresh);
        Ok(n)
    }

    /// The next new result, waiting (polling) until there is one.
    pub async fn next(&mut self) -> Result<WebcareResult> {
        loop {
            if let Some(r) = self.buffer.pop_front() {
                self.last_yielded = Some(r.unique_id);
                return Ok(r);
            }
            if self.poll().await? == 0 {
                tokio::time::sleep(self.poll_interval).await;
            }
        }
    }

    /// Take what is buffered, polling once if the buffer is empty (never sleeps).
    pub async fn next_batch(&mut self) -> Result<Vec<WebcareResult>> {
        if self.buffer.is_empty() {
            self.poll().await?;
        }
        let batch: Vec<WebcareResult> = self.buffer.drain(..).collect();
        if let Some(last) = batch.last() {
            self.last_yielded = Some(last.unique_id);
        }
        Ok(batch)
    }

    /// An endless stream of new results; errors are yielded and polling goes on.
    pub fn into_stream(self) -> ResultStream {
        let s = async_stream::stream! {
            let mut w = self;
            loop {
                match w.next().await {
                    Ok(r) => yield Ok(r),
                    Err(e) => {
                        let wait = e.retry_after().unwrap_or(w.poll_interval);
                        yield Err(e);
                        tokio::time::sleep(wait).await;
                    }
                }
            }
        };
        s.boxed()
    }
}
