//! The one HTTP layer: sends the calls `crate::vendors::calls` describes, with a time limit, and
//! turns every failure into an [`HttpError`]. Components never build URLs or read tokens; they
//! go through `crate::live`, which goes through here.

pub mod error;
pub mod retry;

pub use error::{ErrorKind, HttpError};

use gloo_net::http::Request;
use wasm_bindgen::closure::Closure;
use wasm_bindgen::JsCast;

use crate::vendors::calls::{Call, Method};
use crate::vendors::Kind;

/// Requests without an answer after this long are aborted and reported as timed out.
pub const TIMEOUT_MS: i32 = 30_000;

/// A response that came back with a 2xx status.
pub struct Reply {
    pub status: u16,
    /// Enterprise Manager's token header, when the response has one.
    pub rest_session: Option<String>,
    pub body: String,
}

/// Sends `call`, trying idempotent GETs again after transient failures (see [`retry`]).
pub async fn send_with_retry(
    kind: Kind,
    call: &Call,
    cross_origin: bool,
) -> Result<Reply, HttpError> {
    let mut attempts = 0;
    loop {
        attempts += 1;
        match send(kind, call, cross_origin).await {
            Ok(reply) => return Ok(reply),
            Err(e) => match retry::delay_before_retry(call.method, attempts, &e) {
                Some(ms) => sleep(ms).await,
                None => return Err(e),
            },
        }
    }
}

/// Waits `ms` milliseconds without blocking the page.
async fn sleep(ms: u32) {
    let promise = js_sys::Promise::new(&mut |resolve, _| {
        let scheduled = web_sys::window().and_then(|w| {
            w.set_timeout_with_callback_and_timeout_and_arguments_0(
                &resolve,
                i32::try_from(ms).unwrap_or(i32::MAX),
            )
            .ok()
        });
        if scheduled.is_none() {
            let _ = resolve.call0(&wasm_bindgen::JsValue::NULL);
        }
    });
    let _ = wasm_bindgen_futures::JsFuture::from(promise).await;
}

/// Sends `call` once; a non-2xx status, no answer within [`TIMEOUT_MS`], a network failure or a
/// refused cross-origin request all come back as an [`HttpError`].
pub async fn send(kind: Kind, call: &Call, cross_origin: bool) -> Result<Reply, HttpError> {
    let controller = web_sys::AbortController::new().ok();
    let signal = controller.as_ref().map(|c| c.signal());
    // Abort the fetch when the time limit passes; the timer is cleared when the answer comes.
    let abort = controller.clone().map(|c| Closure::once(move || c.abort()));
    let window = web_sys::window();
    let timer = match (&window, &abort) {
        (Some(w), Some(cb)) => w
            .set_timeout_with_callback_and_timeout_and_arguments_0(
                cb.as_ref().unchecked_ref(),
                TIMEOUT_MS,
            )
            .ok(),
        _ => None,
    };

    let mut builder = match call.method {
        Method::Get => Request::get(&call.url),
        Method::Post => Request::post(&call.url),
        Method::Delete => Request::delete(&call.url),
    };
    for (name, value) in &call.headers {
        builder = builder.header(name, value);
    }
    if call.include_credentials {
        builder = builder.credentials(web_sys::RequestCredentials::Include);
    }
    builder = builder.abort_signal(signal.as_ref());
    let request = match &call.form {
        Some(form) => builder
            .header("Content-Type", "application/x-www-form-urlencoded")
            .body(form.clone()),
        None => builder.build(),
    };
    let result = match request {
        Ok(r) => r.send().await,
        Err(e) => Err(e),
    };
    if let (Some(w), Some(t)) = (&window, timer) {
        w.clear_timeout_with_handle(t);
    }
    drop(abort);

    let response = match result {
        Ok(r) => r,
        Err(_) => {
            let aborted = signal.as_ref().is_some_and(|s| s.aborted());
            // The browser does not say why a fetch failed; a cross-origin one that fails
            // without an answer is almost always CORS.
            let kind = if aborted {
                ErrorKind::Timeout
            } else if cross_origin {
                ErrorKind::Blocked
            } else {
                ErrorKind::Network
            };
            return Err(error::without_response(kind));
        }
    };
    let status = response.status();
    let rest_session = response.headers().get("X-RestSvcSessionId");
    let body = match response.text().await {
        Ok(b) => b,
        Err(_) => {
            let aborted = signal.as_ref().is_some_and(|s| s.aborted());
            let kind = if aborted {
                ErrorKind::Timeout
            } else {
                ErrorKind::Network
            };
            return Err(HttpError {
                status: Some(status),
                ..error::without_response(kind)
            });
        }
    };
    if !(200..300).contains(&status) {
        let retry_after_s = response
            .headers()
            .get("Retry-After")
            .as_deref()
            .and_then(retry::parse_retry_after);
        return Err(HttpError {
            retry_after_s,
            ..error::classify(kind, status, &body)
        });
    }
    Ok(Reply {
        status,
        rest_session,
        body,
    })
}
