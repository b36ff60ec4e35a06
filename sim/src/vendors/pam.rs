//! MIM PAM REST API: `sessioninfo` under both documented paths, simulated Windows integrated
//! authentication (a cookie or a `Negotiate`/`NTLM` header counts as signed in), OData errors.

use axum::http::{Method, StatusCode};
use axum::response::Response;
use serde::Serialize;

use crate::http::{json, respond, with_header, Req};
use crate::vendors::{code_word, seg_is};
use crate::App;

/// The cookie `GET /vendors/pam/sim/login` sets, so a browser can be "signed in" in a demo.
pub const SIM_COOKIE: &str = "PamSimAuth";

pub fn handle(app: &App, req: &Req) -> Response {
    let segs = req.segments();
    // Simulator-only helper, outside the vendor's /api tree.
    if segs.len() == 2 && segs[0] == "sim" && segs[1] == "login" {
        let r = respond(
            StatusCode::OK,
            "text/plain; charset=utf-8",
            "signed in to the simulated PAM\n",
        );
        return with_header(
            r,
            "set-cookie",
            &format!("{SIM_COOKIE}=1; Path=/vendors/pam; HttpOnly; SameSite=Lax"),
        );
    }
    if !seg_is(segs.first(), "api") {
        return error(StatusCode::NOT_FOUND, "");
    }
    if req.method != Method::GET {
        return error(StatusCode::METHOD_NOT_ALLOWED, "");
    }
    if let Some(v) = req.q("v") {
        if !matches!(v, "1" | "1.0" | "2" | "2.0") {
            return error(
                StatusCode::BAD_REQUEST,
                &format!("The API version '{v}' is not supported."),
            );
        }
    }
    let rest = &segs[1..];
    let sessioninfo = rest.len() == 2
        && (rest[0].eq_ignore_ascii_case("session")
            || rest[0].eq_ignore_ascii_case("pamresources"))
        && rest[1].eq_ignore_ascii_case("sessioninfo");
    let pamrequests = rest.len() == 2
        && rest[0].eq_ignore_ascii_case("pamresources")
        && rest[1].eq_ignore_ascii_case("pamrequests");
    if !sessioninfo && !pamrequests {
        return error(StatusCode::NOT_FOUND, "");
    }
    if app.cfg.pam_auth && !signed_in(req) {
        return error(StatusCode::UNAUTHORIZED, "");
    }
    let metadata = |set: &str| format!("{}/api/pamresources/%24metadata#{set}", req.base);
    if sessioninfo {
        #[derive(Serialize)]
        struct Info<'a> {
            #[serde(rename = "Username")]
            username: &'a str,
        }
        #[derive(Serialize)]
        struct Body<'a> {
            #[serde(rename = "odata.metadata")]
            metadata: String,
            value: Vec<Info<'a>>,
        }
        json(
            StatusCode::OK,
            &Body {
                metadata: metadata("sessioninfo"),
                value: vec![Info {
                    username: &app.cfg.pam_user,
                }],
            },
        )
    } else {
        // An empty request list: the viewer only reads sessioninfo; this path exists so a
        // client probing it gets a real OData answer rather than a 404.
        json(
            StatusCode::OK,
            &serde_json::json!({ "odata.metadata": metadata("pamrequests"), "value": [] }),
        )
    }
}

/// Browser credentials as the simulator sees them: any cookie, or an `Authorization` header with
/// the `Negotiate` or `NTLM` scheme. The token itself is not checked.
fn signed_in(req: &Req) -> bool {
    let cookie = req.header("cookie").is_some_and(|c| !c.trim().is_empty());
    let windows = req.header("authorization").is_some_and(|a| {
        let scheme = a.split(' ').next().unwrap_or("");
        scheme.eq_ignore_ascii_case("negotiate") || scheme.eq_ignore_ascii_case("ntlm")
    });
    cookie || windows
}

/// PAM's OData v3 error body, one message per documented status.
pub fn error(status: StatusCode, message: &str) -> Response {
    let default = match status.as_u16() {
        400 => "The request is invalid.",
        401 => "Authorization has been denied for this request.",
        403 => "The requestor is not allowed to perform this operation.",
        404 => "No HTTP resource was found that matches the request URI.",
        405 => "The requested resource does not support this HTTP method.",
        408 => "The request timed out before the PAM service answered.",
        500 => "An error has occurred.",
        503 => "The PAM REST API service is unavailable.",
        _ => crate::vendors::default_message(status),
    };
    let message = if message.is_empty() { default } else { message };
    let body = serde_json::json!({
        "odata.error": {
            "code": code_word(status),
            "message": { "lang": "en-US", "value": message }
        }
    });
    let r = json(status, &body);
    if status == StatusCode::UNAUTHORIZED {
        // Both challenges, as IIS sends them with Windows authentication on.
        with_header(
            with_header(r, "www-authenticate", "Negotiate"),
            "www-authenticate",
            "NTLM",
        )
    } else {
        r
    }
}
