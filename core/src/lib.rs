//! # webcare
//!
//! A client for the Parley Webcare API (KPN "SocialMediaWebcare - Tracebuzz"): search results
//! with the filter language, reply, send events, and handle cases; plus offline sentiment
//! scoring in English and Dutch.
//!
//! ```no_run
//! # async fn demo() -> webcare::Result<()> {
//! use futures::StreamExt;
//! use webcare::{Client, Filter, SentimentClass};
//!
//! let client = Client::from_env()?;
//! let filter = Filter::new().sentiment(SentimentClass::Negative);
//! let mut results = client.results().stream("kpn", &filter);
//! while let Some(r) = results.next().await {
//!     let r = r?;
//!     println!("{} {:?}", r.unique_id, r.description);
//! }
//! # Ok(()) }
//! ```
#![warn(missing_docs)]

pub mod error;
pub mod filter;
pub mod model;
pub mod redact;
pub mod sentiment;
mod sentiment_nl;

pub use error::{ApiMessage, Error, ErrorBody, ErrorKind, Result};
pub use filter::{Filter, NewResults, Order, Period, SearchPath, Source};
pub use model::{
    Ack, Configuration, Envelope, Page, ReplySent, ResultWithContext, SsoToken, WebcareResult,
};
pub use redact::Secret;
pub use sentiment::{Language, Score, SentimentClass};

pub mod auth;
pub mod client;
pub mod paging;
pub mod retry;
pub mod runtime;
pub mod transport;

pub use client::{Cases, Client, ClientBuilder, Event, ReplyRequest, Results, Timeouts};
pub use paging::{KeysetPager, NextPage, Pager, WatchOptions, Watcher};
pub use retry::{Quota, RetryPolicy};
