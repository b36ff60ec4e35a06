//! MIM PAM REST API: `sessioninfo` at `/api/pamresources/` (the old `/api/session/` spelling only
//! with `--pam-legacy-path`), the elevation requests `pamrequests` with OData `$filter` on
//! `CreationTime`, the roles `pamroles`, simulated Windows integrated authentication (a cookie
//! or a `Negotiate`/`NTLM` header counts as signed in), and OData v3 errors.

use axum::http::{Method, StatusCode};
use axum::response::Response;
use serde::Serialize;

use crate::clock::{
    fmt_utc_z, parse_timestamp, Ticks, TICKS_PER_DAY, TICKS_PER_MIN, TICKS_PER_SEC,
};
use crate::http::{json, respond, with_header, Req};
use crate::prng::Rng;
use crate::vendors::shared::{ADMINS, POLICIES};
use crate::vendors::{code_word, seg_is};
use crate::App;

/// .NET's "not set", which PAM writes for a request that has not expired yet.
const NOT_SET: &str = "0001-01-01T00:00:00";

/// `(DisplayName, TTL seconds, approval needed)`: one role for AD, the others give access to
/// the backup products whose sessions the viewer shows, named after VBA's policies.
const ROLES: [(&str, u32, bool); 4] = [
    ("Allow AD Access", 3600, false),
    ("Backup Operators", 7200, false),
    ("AWS backup admins (prod-ec2-daily)", 14400, true),
    ("SQL restore (rds-hourly)", 3600, true),
];

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
    let (Some(dir), Some(leaf), None) = (rest.first(), rest.get(1), rest.get(2)) else {
        return error(StatusCode::NOT_FOUND, "");
    };
    let dir_is = |n: &str| dir.eq_ignore_ascii_case(n);
    let leaf_is = |n: &str| leaf.eq_ignore_ascii_case(n);
    // Today's servers (and Microsoft's sample portal) use /api/pamresources/; the seed page's
    // /api/session/sessioninfo is an old spelling, served only with --pam-legacy-path.
    let sessioninfo = leaf_is("sessioninfo")
        && (dir_is("pamresources") || (dir_is("session") && app.cfg.pam_legacy_path));
    let pamrequests = dir_is("pamresources") && leaf_is("pamrequests");
    let pamroles = dir_is("pamresources") && leaf_is("pamroles");
    if !sessioninfo && !pamrequests && !pamroles {
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
    } else if pamroles {
        let roles = role_ids(app.cfg.seed);
        let value: Vec<serde_json::Value> = ROLES
            .iter()
            .zip(&roles)
            .map(|(&(name, ttl, approval), id)| {
                serde_json::json!({
                    "RoleId": id,
                    "DisplayName": name,
                    "Description": null,
                    "TTL": ttl.to_string(),
                    "AvailableFrom": NOT_SET,
                    "AvailableTo": NOT_SET,
                    "MFAEnabled": false,
                    "ApprovalEnabled": approval,
                    "AvailabilityWindowEnabled": false,
                })
            })
            .collect();
        json(
            StatusCode::OK,
            &serde_json::json!({ "odata.metadata": metadata("pamroles"), "value": value }),
        )
    } else {
        let filter = match req.q("$filter").map(parse_filter) {
            None => Vec::new(),
            Some(Ok(f)) => f,
            Some(Err(m)) => return error(StatusCode::BAD_REQUEST, &m),
        };
        let value: Vec<serde_json::Value> = requests(app)
            .into_iter()
            .filter(|r| filter.iter().all(|(op, t)| op.holds(r.created, *t)))
            .map(|r| r.json())
            .collect();
        json(
            StatusCode::OK,
            &serde_json::json!({ "odata.metadata": metadata("pamrequests"), "value": value }),
        )
    }
}

fn role_ids(seed: u64) -> Vec<String> {
    let mut rng = Rng::derive(seed, 0x9A0);
    ROLES.iter().map(|_| rng.guid()).collect()
}

/// One elevation request (`pamrequests` item).
struct PamRequest {
    id: String,
    creator: String,
    justification: Option<String>,
    created: Ticks,
    requested: Ticks,
    ttl_secs: u32,
    role: String,
    status: &'static str,
}

impl PamRequest {
    fn json(&self) -> serde_json::Value {
        // An active or pending request has no expiration yet (.NET "not set").
        let expires = match self.status {
            "Active" | "PendingApproval" => NOT_SET.to_string(),
            _ => fmt_utc_z(self.requested + i64::from(self.ttl_secs) * TICKS_PER_SEC),
        };
        serde_json::json!({
            "RequestId": self.id,
            "CreatorID": self.creator,
            "Justification": self.justification,
            "CreationTime": fmt_utc_z(self.created),
            "CreationMethod": "PAM Web API",
            "ExpirationTime": expires,
            "RoleId": self.role,
            "RequestedTTL": self.ttl_secs.to_string(),
            "RequestedTime": fmt_utc_z(self.requested),
            "RequestStatus": self.status,
        })
    }
}

/// A month of elevation requests before `--anchor`, oldest first, from the seed alone: the
/// administrators of [`ADMINS`] (the signed-in `--pam-user` among them) asking for the roles
/// above, with justifications that name VBA's policies.
fn requests(app: &App) -> Vec<PamRequest> {
    let seed = app.cfg.seed;
    let end = app.cfg.anchor;
    let roles = role_ids(seed);
    let mut ids = Rng::derive(seed, 0x9A1);
    let creators: Vec<String> = ADMINS.iter().map(|_| ids.guid()).collect();
    let mut rng = Rng::derive(seed, 0x9A2);
    let mut out = Vec::new();
    let mut t = end - 30 * TICKS_PER_DAY;
    loop {
        t += rng.range(2 * 3600 * TICKS_PER_SEC, 14 * 3600 * TICKS_PER_SEC);
        if t >= end {
            break;
        }
        let k = rng.below(ROLES.len() as u64) as usize;
        let (_, ttl, approval) = ROLES[k];
        let requested = t + rng.range(0, 5 * TICKS_PER_MIN);
        let ends = requested + i64::from(ttl) * TICKS_PER_SEC;
        let status = if approval && rng.chance(100) {
            "Rejected"
        } else if approval && end - t < 3600 * TICKS_PER_SEC {
            "PendingApproval"
        } else if ends > end {
            "Active"
        } else if rng.chance(150) {
            "Closed"
        } else {
            "Expired"
        };
        let policy = *rng.pick(&POLICIES);
        let justification = (!rng.chance(150)).then(|| {
            format!(
                "Restore check for {policy}, ticket INC{:06}",
                rng.below(1_000_000)
            )
        });
        out.push(PamRequest {
            id: rng.guid(),
            creator: creators[rng.below(creators.len() as u64) as usize].clone(),
            justification,
            created: t,
            requested,
            ttl_secs: ttl,
            role: roles[k].clone(),
            status,
        });
    }
    out
}

/// A comparison of the OData `$filter` subset the simulator understands.
#[derive(Clone, Copy)]
enum Op {
    Gt,
    Ge,
    Lt,
    Le,
}

impl Op {
    fn holds(self, v: Ticks, bound: Ticks) -> bool {
        match self {
            Op::Gt => v > bound,
            Op::Ge => v >= bound,
            Op::Lt => v < bound,
            Op::Le => v <= bound,
        }
    }
}

/// Parses `CreationTime gt datetime'2025-08-01T00:00:00'` terms joined by `and` (operators
/// `gt ge lt le`; the time is UTC when it has no zone). Anything else is refused with a
/// message, as the OData parser of the real service refuses what it cannot bind.
fn parse_filter(f: &str) -> Result<Vec<(Op, Ticks)>, String> {
    let bad =
        || format!("The query specified in the URI is not valid: cannot parse $filter '{f}'.");
    let mut out = Vec::new();
    for term in f.split(" and ") {
        let mut words = term.split_whitespace();
        let (Some(prop), Some(op), Some(value), None) =
            (words.next(), words.next(), words.next(), words.next())
        else {
            return Err(bad());
        };
        if prop != "CreationTime" {
            return Err(format!(
                "Could not find a property named '{prop}' the simulator filters on (only CreationTime)."
            ));
        }
        let op = match op {
            "gt" => Op::Gt,
            "ge" => Op::Ge,
            "lt" => Op::Lt,
            "le" => Op::Le,
            _ => return Err(bad()),
        };
        let t = value
            .strip_prefix("datetime'")
            .and_then(|v| v.strip_suffix('\''))
            .and_then(parse_timestamp)
            .ok_or_else(bad)?;
        out.push((op, t));
    }
    Ok(out)
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
