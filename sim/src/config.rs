//! Simulator settings: defaults, the hand-written command-line parser and the `--help` text.

use std::path::PathBuf;
use std::time::Duration;

use crate::clock::{parse_timestamp, Ticks};
use crate::fault::{self, Fault};

/// Everything that shapes one simulator instance. `Config::default()` is what `sv-sim` runs with
/// no flags; tests build on it with struct update syntax.
#[derive(Clone, Debug)]
pub struct Config {
    /// TCP port on 127.0.0.1; 0 picks a free one.
    pub port: u16,
    /// A built app (`trunk build` output) to serve at `/` with SPA fallback.
    pub dist: Option<PathBuf>,
    /// Seed of every generated dataset.
    pub seed: u64,
    /// The instant generated data ends at ("now" for the datasets), fixed so data is reproducible.
    pub anchor: Ticks,
    /// Demo accounts for the EM, VBA and M365 log-on endpoints: `(user, password)`.
    pub users: Vec<(String, String)>,
    /// EM logon sessions die after this much idleness.
    pub em_idle_timeout: Duration,
    /// Generated EM logon sessions besides the seed one.
    pub em_sessions: usize,
    /// Generated VBA sessions besides the seed one and the big-log one.
    pub aws_sessions: usize,
    /// Entries in the log of the VBA big-log session ([`crate::vendors::aws::BIG_LOG_SESSION_ID`]).
    pub aws_log_entries: usize,
    /// VBA access token lifetime (refresh tokens live twice as long, as on the real server).
    pub aws_token_ttl: Duration,
    /// Days of M365 job sessions ending at `anchor`.
    pub m365_days: u32,
    /// Items in the log of the M365 big-log session ([`crate::vendors::m365::BIG_LOG_SESSION_ID`]).
    pub m365_log_items: usize,
    /// M365 token lifetime.
    pub m365_token_ttl: Duration,
    /// At most this many `POST /v3/Token` calls per `m365_token_window`; more get 429.
    pub m365_token_limit: u32,
    pub m365_token_window: Duration,
    /// Whether PAM checks for browser credentials (a cookie or `Negotiate`/`NTLM`).
    pub pam_auth: bool,
    /// The account PAM's `sessioninfo` reports.
    pub pam_user: String,
    /// Generated Ekran sessions besides the two seed ones.
    pub ekran_sessions: usize,
    /// The bearer token Ekran requires; `None` turns Ekran auth off.
    pub ekran_token: Option<String>,
    /// Faults applied to every vendor request that carries none of its own.
    pub fault: Option<Fault>,
    /// One origin allowed to call cross-origin, with credentials; `None` = no CORS headers.
    pub cors_origin: Option<String>,
    /// Where to write an app `config.json` listing one connection per vendor.
    pub write_config: Option<PathBuf>,
    /// Print dataset generation times and exit.
    pub bench_generate: bool,
    /// Also serve M365's `/v3/` (an old VB365 server, before 6.0 deprecated it); off = 404.
    pub m365_legacy_v3: bool,
    /// Also serve PAM's old `/api/session/sessioninfo` spelling; off = 404.
    pub pam_legacy_path: bool,
    /// Which VBA release is simulated: decides the accepted `x-api-version` revisions.
    pub aws_release: crate::vendors::aws::Release,
    /// The VBA account with multi-factor authentication: `(user, password, one-time code)`.
    pub aws_mfa_user: Option<(String, String, String)>,
    /// Start EM's JSON answers with a UTF-8 byte order mark, as some real servers do.
    pub em_json_bom: bool,
    /// Answer `DELETE /api/v1/token` with 200 instead of the documented 204 (what this simulator
    /// used to send; e2e/sim.test.mjs still expects it until the app moves on).
    pub aws_logoff_200: bool,
}

/// The current time, whole seconds (`--anchor now`): the demo's data then ends when it starts.
fn now_to_the_second() -> Ticks {
    let secs = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    i64::try_from(secs).unwrap_or(0) * crate::clock::TICKS_PER_SEC
}

pub const DEFAULT_ANCHOR: &str = "2025-09-01T12:00:00Z";
pub const DEFAULT_EKRAN_TOKEN: &str = "ekran-demo-token";

impl Default for Config {
    fn default() -> Self {
        Config {
            port: 8099,
            dist: None,
            seed: 1,
            anchor: parse_timestamp(DEFAULT_ANCHOR).unwrap_or(0),
            users: vec![("admin".into(), "admin".into())],
            em_idle_timeout: Duration::from_secs(15 * 60),
            em_sessions: 4,
            aws_sessions: 300,
            aws_log_entries: 2000,
            aws_token_ttl: Duration::from_secs(3600),
            m365_days: 30,
            m365_log_items: 2000,
            m365_token_ttl: Duration::from_secs(3600),
            m365_token_limit: 10,
            m365_token_window: Duration::from_secs(60),
            pam_auth: true,
            pam_user: "FIMCITONEBOXAD\\Jen".into(),
            ekran_sessions: 1000,
            ekran_token: Some(DEFAULT_EKRAN_TOKEN.into()),
            fault: None,
            cors_origin: None,
            write_config: None,
            bench_generate: false,
            m365_legacy_v3: false,
            pam_legacy_path: false,
            aws_release: crate::vendors::aws::Release::DEFAULT,
            aws_mfa_user: Some(("mfa".into(), "mfa".into(), "123456".into())),
            em_json_bom: false,
            aws_logoff_200: false,
        }
    }
}

pub const HELP: &str = "\
sv-sim: loopback simulator of the five vendor session APIs Session Viewer reads

USAGE: sv-sim [FLAGS]

All APIs share one port on 127.0.0.1, under reverse-proxy style prefixes:
  /vendors/em/api/...       Veeam Backup Enterprise Manager
  /vendors/aws/api/v1/...   Veeam Backup for AWS
  /vendors/m365/v{6,7,8}/...  Veeam Backup for Microsoft 365 (v3 with --m365-legacy-v3)
  /vendors/pam/api/...      MIM PAM REST API
  /vendors/ekran/ekranapi/... Ekran System
The first stdout line is `listening on http://127.0.0.1:PORT`.

SERVER
  --port N                 port on 127.0.0.1, 0 = pick a free one        [8099]
  --dist DIR               also serve a built app at / (SPA fallback to index.html)
  --cors-origin ORIGIN     send CORS headers (credentials allowed) for this one origin [off]
  --write-config PATH      write an app config.json (one connection per vendor), then serve
  --fault SPEC             faults for every vendor request (syntax below)  [none]
  --bench-generate         generate every dataset, print the times, exit

DATA (deterministic from the seed; the vendor pages' own examples are always present)
  --seed N                 dataset seed                                  [1]
  --anchor TIMESTAMP|now   instant the generated data ends at; `now` = the start time,
                           to the second (the demo's; tests keep the fixed default) [2025-09-01T12:00:00Z]
  --em-sessions N          extra EM logon sessions                       [4]
  --aws-sessions N         VBA sessions                                  [300]
  --aws-log-entries N      entries of VBA session 0b1e55ed-0000-4000-8000-00000000b16a [2000]
  --m365-days N            days of M365 job sessions                     [30]
  --m365-log-items N       items of M365 session 0b1e55ed-0000-4000-8000-00000000365b [2000]
  --ekran-sessions N       Ekran sessions                                [1000]

AUTH (demo account admin / admin for EM, VBA and M365)
  --user NAME:PASSWORD     replace the demo accounts (repeatable)
  --em-idle-timeout SECS   EM logon session idle expiry                  [900]
  --aws-token-ttl SECS     VBA access token lifetime (refresh: twice)    [3600]
  --m365-token-ttl SECS    M365 token lifetime                           [3600]
  --m365-token-limit N/SECS  M365 POST /v3/Token calls allowed per window, then 429 [10/60]
  --pam-auth on|off        PAM: require a cookie or `Authorization: Negotiate|NTLM ...` [on]
  --pam-user DOMAIN\\USER   account PAM reports                           [FIMCITONEBOXAD\\Jen]
  --ekran-token TOKEN      Ekran bearer token                            [ekran-demo-token]
  --ekran-auth on|off      off = Ekran accepts every request             [on]
  --aws-mfa-user USER:PASSWORD:CODE  VBA account with MFA, `off` = none   [mfa:mfa:123456]
  EM also accepts the seed page's token NDRjZmJkYmUtNWE5NS00MTU2LTg4NjctOTFmMDY5YjdjMmNj.
  PAM: GET /vendors/pam/sim/login sets a cookie so a browser is 'signed in'.

SERVER RELEASES (what today's servers refuse, old servers still serve)
  --aws-release R          VBA release: oldest (1.0-rev0..1.2-rev1), 7 (1.3-rev0..1.5-rev1),
                           8 (1.4-rev0..1.6-rev0), 9 (1.7-rev0), 9.1 (1.7-rev0..1.7-rev1),
                           all (1.0-rev0..1.7-rev1, every revision: for a client in transition) [9]
  --m365-legacy-v3         M365 also serves /v3/ (an old server); otherwise /v3/ is a 404
  --pam-legacy-path        PAM also serves /api/session/sessioninfo; otherwise a 404
  --em-json-bom            EM's JSON answers start with a UTF-8 byte order mark
  --aws-logoff-200         VBA DELETE /api/v1/token answers 200 (old simulator), not 204

FAULTS (per request: header `X-Sim-Fault: SPEC` or query `sim_fault=SPEC`; these win over --fault)
  SPEC is a comma-separated list of:
  latency=MS      wait MS milliseconds before answering
  error=CODE      answer CODE (400 401 403 404 408 429 500 503 ...) with the vendor's error body
  5xx=N/M         of every M requests with this same SPEC, the first N answer 503
  cut             announce the full Content-Length, send half the body, close the connection
  drop            close the connection without answering
  malformed       200 with syntactically broken JSON/XML
  hang            send the headers and half the body, then never finish

  -h, --help               this text
";

/// Parses `sv-sim`'s arguments (without the program name). `Err` carries a message for stderr.
pub fn parse_args<I: IntoIterator<Item = String>>(args: I) -> Result<Config, String> {
    let mut c = Config::default();
    let mut users_given = false;
    let mut it = args.into_iter();
    while let Some(arg) = it.next() {
        let (flag, inline) = match arg.split_once('=') {
            Some((f, v)) if f.starts_with("--") => (f.to_string(), Some(v.to_string())),
            _ => (arg.clone(), None),
        };
        let mut value = || -> Result<String, String> {
            match &inline {
                Some(v) => Ok(v.clone()),
                None => it.next().ok_or_else(|| format!("{flag} needs a value")),
            }
        };
        match flag.as_str() {
            "-h" | "--help" => return Err(HELP.to_string()),
            "--bench-generate" => c.bench_generate = true,
            "--port" => c.port = num(&flag, &value()?)?,
            "--dist" => c.dist = Some(PathBuf::from(value()?)),
            "--cors-origin" => c.cors_origin = Some(value()?),
            "--write-config" => c.write_config = Some(PathBuf::from(value()?)),
            "--fault" => {
                let v = value()?;
                c.fault = Some(fault::parse(&v).map_err(|e| format!("--fault: {e}"))?);
            }
            "--seed" => c.seed = num(&flag, &value()?)?,
            "--anchor" => {
                let v = value()?;
                c.anchor = if v == "now" {
                    now_to_the_second()
                } else {
                    parse_timestamp(&v).ok_or_else(|| format!("--anchor: bad timestamp {v}"))?
                };
            }
            "--em-sessions" => c.em_sessions = num(&flag, &value()?)?,
            "--aws-sessions" => c.aws_sessions = num(&flag, &value()?)?,
            "--aws-log-entries" => c.aws_log_entries = num(&flag, &value()?)?,
            "--m365-days" => c.m365_days = num(&flag, &value()?)?,
            "--m365-log-items" => c.m365_log_items = num(&flag, &value()?)?,
            "--ekran-sessions" => c.ekran_sessions = num(&flag, &value()?)?,
            "--user" => {
                let v = value()?;
                let (u, p) = v
                    .split_once(':')
                    .ok_or_else(|| "--user wants NAME:PASSWORD".to_string())?;
                if !users_given {
                    c.users.clear();
                    users_given = true;
                }
                c.users.push((u.to_string(), p.to_string()));
            }
            "--em-idle-timeout" => c.em_idle_timeout = secs(&flag, &value()?)?,
            "--aws-token-ttl" => c.aws_token_ttl = secs(&flag, &value()?)?,
            "--m365-token-ttl" => c.m365_token_ttl = secs(&flag, &value()?)?,
            "--m365-token-limit" => {
                let v = value()?;
                let (n, w) = v
                    .split_once('/')
                    .ok_or_else(|| "--m365-token-limit wants N/SECS".to_string())?;
                c.m365_token_limit = num(&flag, n)?;
                c.m365_token_window = secs(&flag, w)?;
            }
            "--pam-auth" => c.pam_auth = on_off(&flag, &value()?)?,
            "--pam-user" => c.pam_user = value()?,
            "--ekran-token" => c.ekran_token = Some(value()?),
            "--ekran-auth" => {
                if !on_off(&flag, &value()?)? {
                    c.ekran_token = None;
                } else if c.ekran_token.is_none() {
                    c.ekran_token = Some(DEFAULT_EKRAN_TOKEN.into());
                }
            }
            "--m365-legacy-v3" => c.m365_legacy_v3 = true,
            "--pam-legacy-path" => c.pam_legacy_path = true,
            "--em-json-bom" => c.em_json_bom = true,
            "--aws-logoff-200" => c.aws_logoff_200 = true,
            "--aws-release" => {
                let v = value()?;
                c.aws_release = crate::vendors::aws::Release::parse(&v).ok_or_else(|| {
                    format!("--aws-release: want oldest, 7, 8, 9, 9.1 or all, got {v}")
                })?;
            }
            "--aws-mfa-user" => {
                let v = value()?;
                c.aws_mfa_user = if v == "off" {
                    None
                } else {
                    let mut p = v.splitn(3, ':');
                    match (p.next(), p.next(), p.next()) {
                        (Some(u), Some(pw), Some(code)) if !u.is_empty() && !code.is_empty() => {
                            Some((u.to_string(), pw.to_string(), code.to_string()))
                        }
                        _ => return Err("--aws-mfa-user wants USER:PASSWORD:CODE or off".into()),
                    }
                };
            }
            other => return Err(format!("unknown flag {other}; see --help")),
        }
    }
    Ok(c)
}

fn num<T: std::str::FromStr>(flag: &str, v: &str) -> Result<T, String> {
    v.trim()
        .parse()
        .map_err(|_| format!("{flag}: not a number: {v}"))
}

fn secs(flag: &str, v: &str) -> Result<Duration, String> {
    let f: f64 = num(flag, v)?;
    // Capped at ten years so deadlines computed from it (`Instant + ttl`) cannot overflow.
    if f.is_finite() && (0.0..=315_360_000.0).contains(&f) {
        Ok(Duration::from_secs_f64(f))
    } else {
        Err(format!("{flag}: bad duration {v} (0 to 315360000 seconds)"))
    }
}

fn on_off(flag: &str, v: &str) -> Result<bool, String> {
    match v {
        "on" | "true" | "1" => Ok(true),
        "off" | "false" | "0" => Ok(false),
        _ => Err(format!("{flag}: want on or off, got {v}")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(s: &str) -> Vec<String> {
        s.split_whitespace().map(String::from).collect()
    }

    #[test]
    fn parses_flags_in_both_spellings() {
        let c = parse_args(args(
            "--port 0 --seed=7 --user a:b --user c:d --ekran-auth off",
        ))
        .unwrap();
        assert_eq!(c.port, 0);
        assert_eq!(c.seed, 7);
        assert_eq!(c.users.len(), 2);
        assert!(c.ekran_token.is_none());
        let c = parse_args(args("--m365-token-limit 3/0.5 --em-idle-timeout 0.2")).unwrap();
        assert_eq!(c.m365_token_limit, 3);
        assert_eq!(c.m365_token_window, Duration::from_millis(500));
        assert_eq!(c.em_idle_timeout, Duration::from_millis(200));
        let c = parse_args(args(
            "--m365-legacy-v3 --pam-legacy-path --em-json-bom --aws-logoff-200 --aws-release 8 --aws-mfa-user u:p:42",
        ))
        .unwrap();
        assert!(c.m365_legacy_v3 && c.pam_legacy_path && c.em_json_bom && c.aws_logoff_200);
        assert_eq!(
            c.aws_release,
            crate::vendors::aws::Release::parse("8").unwrap()
        );
        assert_eq!(c.aws_mfa_user, Some(("u".into(), "p".into(), "42".into())));
        let d = parse_args(args("")).unwrap();
        assert!(!d.m365_legacy_v3 && !d.pam_legacy_path && !d.em_json_bom);
        assert!(parse_args(args("--aws-mfa-user off"))
            .unwrap()
            .aws_mfa_user
            .is_none());
    }

    #[test]
    fn anchor_now_is_the_start_time_and_the_default_stays_fixed() {
        let before = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap()
            .as_secs() as i64
            * crate::clock::TICKS_PER_SEC;
        let c = parse_args(args("--anchor now")).unwrap();
        assert!(c.anchor >= before && c.anchor - before <= 5 * crate::clock::TICKS_PER_SEC);
        let fixed = parse_timestamp(DEFAULT_ANCHOR).unwrap();
        assert_eq!(parse_args(args("")).unwrap().anchor, fixed);
        assert!(parse_args(args("--anchor later")).is_err());
    }

    #[test]
    fn rejects_nonsense() {
        assert!(parse_args(args("--port")).is_err());
        assert!(parse_args(args("--port x")).is_err());
        assert!(parse_args(args("--what")).is_err());
        assert!(parse_args(args("--fault bogus")).is_err());
        assert!(parse_args(args("--aws-release 10")).is_err());
        assert!(parse_args(args("--aws-mfa-user nocode")).is_err());
        assert!(parse_args(args("--help"))
            .unwrap_err()
            .contains("X-Sim-Fault"));
    }
}
