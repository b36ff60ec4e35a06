//! The one HTTP layer: sends the [`Call`]s each vendor's contract builds, with a time limit,
//! and turns every failure into an [`HttpError`]. Components never build URLs or read tokens;
//! they go through `crate::connections`, which goes through here.

pub mod error;
mod request;
pub mod retry;

pub use error::{ErrorKind, HttpError};
pub use request::{base64, form, percent, Call, Method};

use gloo_net::http::Request;
use wasm_bindgen::closure::Closure;
use wasm_bindgen::JsCast;

use crate::vendors::Kind;

/// How requests to one connection are sent: to which kind of server, whether to another origin,
/// within what time, and what may cancel them (a view going away, a cancel button).
#[derive(Clone)]
pub struct Channel {
    pub kind: Kind,
    pub cross_origin: bool,
    /// Requests without a complete answer after this long are aborted and reported as timed out.
    pub timeout_ms: u32,
    /// Aborting this stops the request; it then fails as [`ErrorKind::Cancelled`].
    pub cancel: Option<web_sys::AbortSignal>,
}

/// A response that came back with a 2xx status.
pub struct Reply {
    pub status: u16,
    /// Enterprise Manager's token header, when the response has one.
    pub rest_session: Option<String>,
    /// Shared, not copied, by what is read from it ([`crate::model::Text`]).
    pub body: crate::model::Text,
}

/// Sends `call`, trying idempotent GETs again after transient failures (see [`retry`]).
pub async fn send_with_retry(channel: &Channel, call: &Call) -> Result<Reply, HttpError> {
    let mut attempts = 0;
    loop {
        attempts += 1;
        match send(channel, call).await {
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

/// Sends `call` once; a non-2xx status, no complete answer within the time limit, a cut-off
/// body, a network failure, a refused cross-origin request or a cancellation all come back as an
/// [`HttpError`].
pub async fn send(channel: &Channel, call: &Call) -> Result<Reply, HttpError> {
    let cancelled = || channel.cancel.as_ref().is_some_and(|s| s.aborted());
    if cancelled() {
        return Err(error::without_response(ErrorKind::Cancelled));
    }
    let controller = web_sys::AbortController::new().ok();
    let signal = controller.as_ref().map(|c| c.signal());
    // Abort the fetch when the time limit passes, or when the caller cancels; the timer and the
    // listener are removed when the answer is in.
    let timed_out = std::rc::Rc::new(std::cell::Cell::new(false));
    let on_timeout = controller.clone().map(|c| {
        let timed_out = timed_out.clone();
        Closure::once(move || {
            timed_out.set(true);
            c.abort();
        })
    });
    let on_cancel = controller
        .clone()
        .map(|c| Closure::<dyn FnMut()>::new(move || c.abort()));
    let window = web_sys::window();
    let timer = match (&window, &on_timeout) {
        (Some(w), Some(cb)) => w
            .set_timeout_with_callback_and_timeout_and_arguments_0(
                cb.as_ref().unchecked_ref(),
                i32::try_from(channel.timeout_ms).unwrap_or(i32::MAX),
            )
            .ok(),
        _ => None,
    };
    if let (Some(cancel), Some(cb)) = (&channel.cancel, &on_cancel) {
        let _ = cancel.add_event_listener_with_callback("abort", cb.as_ref().unchecked_ref());
    }
    let outcome = exchange(channel.kind, call, signal.as_ref()).await;
    if let (Some(w), Some(t)) = (&window, timer) {
        w.clear_timeout_with_handle(t);
    }
    if let (Some(cancel), Some(cb)) = (&channel.cancel, &on_cancel) {
        let _ = cancel.remove_event_listener_with_callback("abort", cb.as_ref().unchecked_ref());
    }
    drop(on_timeout);
    drop(on_cancel);
    outcome.map_err(|e| match e {
        // An aborted fetch: say which of the two aborted it.
        Failed::Aborted | Failed::Network if timed_out.get() => {
            error::timed_out(channel.timeout_ms / 1000)
        }
        Failed::Aborted | Failed::Network if cancelled() => {
            error::without_response(ErrorKind::Cancelled)
        }
        // The browser does not say why a fetch failed; a cross-origin one that fails without an
        // answer is almost always CORS.
        Failed::Aborted | Failed::Network if channel.cross_origin => {
            error::without_response(ErrorKind::Blocked)
        }
        Failed::Aborted | Failed::Network => error::without_response(ErrorKind::Network),
        Failed::Cut(status) if timed_out.get() => HttpError {
            status: Some(status),
            ..error::timed_out(channel.timeout_ms / 1000)
        },
        Failed::Cut(_) if cancelled() => error::without_response(ErrorKind::Cancelled),
        Failed::Cut(status) => HttpError {
            status: Some(status),
            ..error::without_response(ErrorKind::Cut)
        },
        Failed::TooLarge(status) => HttpError {
            status: Some(status),
            ..error::without_response(ErrorKind::TooLarge)
        },
        Failed::Http(e) => e,
    })
}

/// How one exchange failed, before it is known whether the timer or the caller aborted it.
enum Failed {
    Aborted,
    Network,
    /// The status and headers came, the body did not finish.
    Cut(u16),
    /// The answer is larger than the app reads ([`crate::import::MAX_BYTES`]).
    TooLarge(u16),
    Http(HttpError),
}

/// The body as text, refused before it is read into the app when it is larger than
/// [`crate::import::MAX_BYTES`]: by its `Content-Length` before any of it arrives, else by the size
/// of the whole, which the browser gathers as a `Blob` (outside the wasm memory).
async fn read_body(
    response: web_sys::Response,
    length: Option<String>,
    status: u16,
) -> Result<String, Failed> {
    let big = |n: f64| crate::import::too_large(n).then_some(Failed::TooLarge(status));
    // An integer parse: float parsing would cost the bundle its tables.
    if let Some(e) = length
        .and_then(|l| l.trim().parse::<u64>().ok())
        .and_then(|n| big(n as f64))
    {
        return Err(e);
    }
    let cut = |_| Failed::Cut(status);
    let promise = response.blob().map_err(cut)?;
    let blob: web_sys::Blob = wasm_bindgen_futures::JsFuture::from(promise)
        .await
        .map_err(cut)?
        .unchecked_into();
    if let Some(e) = big(blob.size()) {
        return Err(e);
    }
    let text = wasm_bindgen_futures::JsFuture::from(blob.text())
        .await
        .map_err(cut)?;
    Ok(text.as_string().unwrap_or_default())
}

async fn exchange(
    kind: Kind,
    call: &Call,
    signal: Option<&web_sys::AbortSignal>,
) -> Result<Reply, Failed> {
    let mut builder = match call.method {
        Method::Get => Request::get(&call.url),
        Method::Post | Method::PostQuery => Request::post(&call.url),
        Method::Delete => Request::delete(&call.url),
    };
    for (name, value) in &call.headers {
        builder = builder.header(name, value);
    }
    if call.include_credentials {
        builder = builder.credentials(web_sys::RequestCredentials::Include);
    }
    builder = builder.abort_signal(signal);
    let request = match &call.form {
        Some(form) if call.headers.iter().any(|(n, _)| *n == "Content-Type") => {
            builder.body(form.clone())
        }
        Some(form) => builder
            .header("Content-Type", "application/x-www-form-urlencoded")
            .body(form.clone()),
        None => builder.build(),
    };
    let aborted = || signal.is_some_and(|s| s.aborted());
    let response = match request {
        Ok(r) => r.send().await,
        Err(e) => Err(e),
    }
    .map_err(|_| {
        if aborted() {
            Failed::Aborted
        } else {
            Failed::Network
        }
    })?;
    let status = response.status();
    let headers = response.headers();
    let rest_session = headers.get("X-RestSvcSessionId");
    let retry_after = headers.get("Retry-After");
    let mut body = read_body(response.into(), headers.get("Content-Length"), status).await?;
    // Enterprise Manager's JSON may start with a byte-order mark: read it like any other.
    if body.starts_with('\u{feff}') {
        body.drain(..'\u{feff}'.len_utf8());
    }
    if !(200..300).contains(&status) {
        let retry_after_s = retry_after.as_deref().and_then(retry::parse_retry_after);
        return Err(Failed::Http(HttpError {
            retry_after_s,
            ..error::classify(kind, status, &body)
        }));
    }
    Ok(Reply {
        status,
        rest_session,
        body: body.into(),
    })
}
