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
pub mod json;
pub mod model;
pub mod redact;
pub mod sentiment;
mod sentiment_en;
mod sentiment_nl;

pub use error::{ApiMessage, Error, ErrorBody, ErrorKind, Result};
pub use filter::{Filter, NewResults, Order, Period, SearchPath, Source};
pub use model::{
    Ack, Configuration, Envelope, Page, ReplySent, ResultWithContext, SsoToken, WebcareResult,
};
pub use redact::Secret;
pub use sentiment::{Language, Score, SentimentClass};

#[cfg(feature = "arrow")]
pub mod arrow;
pub mod auth;
pub mod client;
pub mod paging;
pub mod retry;
pub mod runtime;
pub mod transport;

pub use client::{Cases, Client, ClientBuilder, Event, ReplyRequest, Results, Timeouts};
pub use paging::{KeysetPager, NextPage, Pager, ResultPager, ResultStream, WatchOptions, Watcher};
pub use retry::{Quota, RetryPolicy};

/// Decoding of raw responses, as the client does it: for replaying captured traffic and for the
/// shared test vectors.
pub mod decode {
    pub use crate::client::{
        ack_from, configuration_from, decode_envelope, decode_results, decode_search, http_error,
    };
    pub use crate::model::SsoToken;
    pub use crate::transport::HttpResponse;

    /// Decode a raw response for an operation (`search`, `configuration`, `result`, `ack`,
    /// `sso`) into its JSON form, or the error the client would report.
    pub fn decode_operation(
        operation: &str,
        status: u16,
        headers: &[(String, String)],
        body: &[u8],
    ) -> crate::Result<serde_json::Value> {
        use serde_json::json;
        let resp = HttpResponse {
            status,
            headers: headers.to_vec(),
            body: bytes::Bytes::copy_from_slice(body),
        };
        if !(200..300).contains(&status) {
            return Err(http_error(&resp, operation));
        }
        let env = decode_envelope(&resp, operation)?;
        match operation {
            "search" => {
                let (results, total) = decode_search(&resp, operation)?;
                Ok(json!({ "results": results, "total": total }))
            }
            "configuration" => Ok(serde_json::to_value(configuration_from(env)?)
                .map_err(|e| crate::Error::decode(e.to_string()))?),
            "result" => {
                let r: crate::WebcareResult = serde_json::from_value(env.data)
                    .map_err(|e| crate::Error::decode(format!("result: {e}")))?;
                Ok(serde_json::to_value(r).map_err(|e| crate::Error::decode(e.to_string()))?)
            }
            "ack" => {
                let a = ack_from(env, None);
                Ok(
                    json!({ "url": a.url, "method": a.method, "duration": a.duration, "data": a.data }),
                )
            }
            "sso" => {
                let t = SsoToken::from_data(env.data)?;
                Ok(json!({
                    "token": t.token.as_ref().map(|s| s.expose().to_string()),
                    "expires": t.expires,
                }))
            }
            other => Err(crate::Error::validation(format!(
                "unknown operation '{other}'"
            ))),
        }
    }
}
