//! The simulator's own machinery over HTTP: every fault type, CORS, the static app with SPA
//! fallback, `--write-config`, the real binary's start-up line and generation speed.

mod support;

use std::io::BufRead;
use std::time::{Duration, Instant};

use session_viewer_sim::{fault, App, Config};
use support::{request, start, start_default};

const PAM_INFO: &str = "/vendors/pam/api/pamresources/sessioninfo";
const COOKIE: (&str, &str) = ("Cookie", "x=1");

#[tokio::test]
async fn latency_delays_the_answer() {
    let sim = start_default().await;
    let t = Instant::now();
    let r = sim
        .get(PAM_INFO, &[COOKIE, ("X-Sim-Fault", "latency=300")])
        .await;
    assert_eq!(r.status(), 200);
    assert!(t.elapsed() >= Duration::from_millis(300));
    let t = Instant::now();
    let r = sim
        .get(&format!("{PAM_INFO}?sim_fault=latency%3D200"), &[COOKIE])
        .await;
    assert_eq!(r.status(), 200);
    assert!(t.elapsed() >= Duration::from_millis(200));
}

#[tokio::test]
async fn injected_errors_use_each_vendors_body() {
    let sim = start_default().await;
    for code in [400u16, 401, 403, 404, 408, 500, 503] {
        let f = format!("error={code}");
        let h = |extra: (&'static str, &'static str)| {
            vec![("X-Sim-Fault", f.clone()), (extra.0, extra.1.to_string())]
        };
        let to_refs =
            |v: &Vec<(&'static str, String)>| -> Vec<(&'static str, String)> { v.clone() };
        let _ = to_refs;
        let get = |path: &'static str, extra: (&'static str, &'static str)| {
            let sim = &sim;
            let hs = h(extra);
            async move {
                let refs: Vec<(&str, &str)> = hs.iter().map(|(k, v)| (*k, v.as_str())).collect();
                sim.get(path, &refs).await
            }
        };
        let em = get(
            "/vendors/em/api/logonSessions",
            ("Accept", "application/json"),
        )
        .await;
        assert_eq!(em.status(), code);
        assert_eq!(em.json()["StatusCode"], code);
        let em_xml = get(
            "/vendors/em/api/logonSessions",
            ("Accept", "application/xml"),
        )
        .await;
        assert!(em_xml.text().contains(&format!("StatusCode=\"{code}\"")));
        assert_eq!(code == 401, em_xml.header("www-authenticate").is_some());
        let aws = get(
            "/vendors/aws/api/v1/sessions",
            ("x-api-version", "1.7-rev0"),
        )
        .await;
        assert_eq!(aws.status(), code);
        assert!(aws
            .header("content-type")
            .unwrap()
            .starts_with("application/problem+json"));
        assert_eq!(aws.json()["status"], code);
        assert!(aws.json()["errorCode"].is_string());
        let m = get(
            "/vendors/m365/v8/JobSessions",
            ("Accept", "application/json"),
        )
        .await;
        assert_eq!(m.status(), code);
        assert!(m.json()["message"].is_string());
        let pam = get("/vendors/pam/api/pamresources/sessioninfo", COOKIE).await;
        assert_eq!(pam.status(), code);
        let v = pam.json()["odata.error"]["message"]["value"]
            .as_str()
            .unwrap()
            .to_string();
        assert!(!v.is_empty());
        let ek = get(
            "/vendors/ekran/ekranapi/sessions",
            ("Accept", "application/json"),
        )
        .await;
        assert_eq!(ek.status(), code);
        assert_eq!(ek.json()["status"], code);
    }
}

#[tokio::test]
async fn pam_error_messages_differ_per_status() {
    let sim = start_default().await;
    let mut messages = std::collections::HashSet::new();
    for code in [401, 403, 408, 500, 503] {
        let f = format!("error={code}");
        let r = sim.get(PAM_INFO, &[COOKIE, ("X-Sim-Fault", &f)]).await;
        messages.insert(r.json()["odata.error"]["message"]["value"].to_string());
    }
    assert_eq!(messages.len(), 5);
}

#[tokio::test]
async fn bursts_of_503_then_recovery() {
    let sim = start_default().await;
    let mut statuses = Vec::new();
    for _ in 0..8 {
        let r = sim
            .get(PAM_INFO, &[COOKIE, ("X-Sim-Fault", "5xx=2/4")])
            .await;
        if r.status() == 503 {
            assert_eq!(r.header("retry-after"), Some("1"));
        }
        statuses.push(r.status());
    }
    assert_eq!(statuses, [503, 503, 200, 200, 503, 503, 200, 200]);
}

#[tokio::test]
async fn global_fault_flag_applies_unless_the_request_brings_its_own() {
    let sim = start(Config {
        fault: Some(fault::parse("error=500").unwrap()),
        ..Config::default()
    })
    .await;
    assert_eq!(sim.get(PAM_INFO, &[COOKIE]).await.status(), 500);
    let own = sim
        .get(PAM_INFO, &[COOKIE, ("X-Sim-Fault", "latency=1")])
        .await;
    assert_eq!(own.status(), 200);
    let bad = sim
        .get(PAM_INFO, &[COOKIE, ("X-Sim-Fault", "explode")])
        .await;
    assert_eq!(bad.status(), 400);
}

#[tokio::test]
async fn cut_body_announces_more_than_it_sends() {
    let sim = start_default().await;
    let r = sim.get(PAM_INFO, &[COOKIE, ("X-Sim-Fault", "cut")]).await;
    assert_eq!(r.status(), 200);
    assert!(!r.complete && !r.timed_out);
    let announced: usize = r.header("content-length").unwrap().parse().unwrap();
    assert_eq!(r.body.len(), announced / 2);
}

#[tokio::test]
async fn dropped_connection_gives_no_response() {
    let sim = start_default().await;
    let r = sim.get(PAM_INFO, &[COOKIE, ("X-Sim-Fault", "drop")]).await;
    assert_eq!(r.status, None);
    assert!(r.body.is_empty() && !r.timed_out);
}

#[tokio::test]
async fn malformed_bodies_are_complete_but_do_not_parse() {
    let sim = start_default().await;
    let r = sim
        .get(PAM_INFO, &[COOKIE, ("X-Sim-Fault", "malformed")])
        .await;
    assert_eq!(r.status(), 200);
    assert!(r.complete);
    assert!(serde_json::from_slice::<serde_json::Value>(&r.body).is_err());
    let em = sim
        .get(
            "/vendors/em/api/logonSessions",
            &[
                (
                    "X-RestSvcSessionId",
                    "NDRjZmJkYmUtNWE5NS00MTU2LTg4NjctOTFmMDY5YjdjMmNj",
                ),
                ("X-Sim-Fault", "malformed"),
            ],
        )
        .await;
    assert!(em.text().ends_with("<unclosed"));
}

#[tokio::test]
async fn hanging_response_never_ends() {
    let sim = start_default().await;
    let r = request(
        sim.addr,
        "GET",
        PAM_INFO,
        &[COOKIE, ("X-Sim-Fault", "hang")],
        b"",
        Duration::from_millis(700),
    )
    .await;
    assert_eq!(r.status(), 200);
    assert!(r.timed_out && !r.complete);
    assert!(!r.body.is_empty());
}

#[tokio::test]
async fn cors_is_off_by_default_and_on_for_one_origin() {
    let sim = start_default().await;
    let r = sim
        .get(PAM_INFO, &[COOKIE, ("Origin", "https://portal.example")])
        .await;
    assert!(r.header("access-control-allow-origin").is_none());

    let sim = start(Config {
        cors_origin: Some("https://portal.example".into()),
        ..Config::default()
    })
    .await;
    let r = sim
        .get(PAM_INFO, &[COOKIE, ("Origin", "https://portal.example")])
        .await;
    assert_eq!(
        r.header("access-control-allow-origin"),
        Some("https://portal.example")
    );
    assert_eq!(r.header("access-control-allow-credentials"), Some("true"));
    let pre = sim
        .req(
            "OPTIONS",
            "/vendors/aws/api/v1/sessions",
            &[
                ("Origin", "https://portal.example"),
                ("Access-Control-Request-Method", "GET"),
                (
                    "Access-Control-Request-Headers",
                    "authorization,x-api-version",
                ),
            ],
            b"",
        )
        .await;
    assert_eq!(pre.status(), 204);
    assert_eq!(
        pre.header("access-control-allow-headers"),
        Some("authorization,x-api-version")
    );
    let other = sim
        .get(PAM_INFO, &[COOKIE, ("Origin", "https://evil.example")])
        .await;
    assert!(other.header("access-control-allow-origin").is_none());
}

#[tokio::test]
async fn serves_a_dist_directory_with_spa_fallback() {
    let dir = std::env::temp_dir().join(format!("sv-sim-dist-{}", std::process::id()));
    std::fs::create_dir_all(dir.join("assets")).unwrap();
    std::fs::write(dir.join("index.html"), "<!doctype html><p>app</p>").unwrap();
    std::fs::write(dir.join("assets/app.js"), "console.log(1)").unwrap();
    let sim = start(Config {
        dist: Some(dir.clone()),
        ..Config::default()
    })
    .await;
    let root = sim.get("/", &[]).await;
    assert!(root.text().contains("app"));
    assert!(root
        .header("content-type")
        .unwrap()
        .starts_with("text/html"));
    let js = sim.get("/assets/app.js", &[]).await;
    assert!(js
        .header("content-type")
        .unwrap()
        .starts_with("text/javascript"));
    let deep = sim.get("/log/90faa259", &[]).await;
    assert_eq!(deep.status(), 200);
    assert!(deep.text().contains("app"));
    // The app runs under the strict policy here too (SPEC §3.7).
    for r in [&root, &js, &deep] {
        let csp = r.header("content-security-policy").unwrap();
        assert!(csp.starts_with("default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; img-src 'self'; connect-src 'self' "), "{csp}");
        assert_eq!(r.header("x-content-type-options"), Some("nosniff"));
    }
    assert_eq!(sim.get("/missing.js", &[]).await.status(), 404);
    assert_eq!(sim.get("/../etc/passwd", &[]).await.status(), 404);
    // The APIs still win under /vendors/.
    assert_eq!(sim.get(PAM_INFO, &[COOKIE]).await.status(), 200);
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn write_config_lists_one_connection_per_vendor() {
    let path = std::env::temp_dir().join(format!("sv-sim-config-{}.json", std::process::id()));
    session_viewer_sim::write_app_config(&Config::default(), &path).unwrap();
    let v: serde_json::Value = serde_json::from_slice(&std::fs::read(&path).unwrap()).unwrap();
    let kinds: Vec<&str> = v["connections"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["kind"].as_str().unwrap())
        .collect();
    assert_eq!(
        kinds,
        ["veeam-em", "veeam-aws", "veeam-m365", "mim-pam", "ekran"]
    );
    assert_eq!(v["connections"][1]["baseUrl"], "/vendors/aws");
    // No VBA revision: the app finds the one the server serves at log-on.
    assert!(v["connections"][1].get("apiVersion").is_none());
    assert_eq!(v["connections"][3]["auth"], "browser");
    let _ = std::fs::remove_file(&path);
}

/// The real binary prints its address first and answers within a second.
#[test]
fn binary_starts_in_under_a_second_and_prints_its_address() {
    let t = Instant::now();
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_sv-sim"))
        .args(["--port", "0"])
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let mut line = String::new();
    std::io::BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    let elapsed = t.elapsed();
    let addr = line
        .trim()
        .strip_prefix("listening on http://")
        .unwrap_or_else(|| panic!("first line: {line}"))
        .to_string();
    assert!(addr.starts_with("127.0.0.1:"));
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let r = rt.block_on(request(
        addr.parse().unwrap(),
        "GET",
        PAM_INFO,
        &[COOKIE],
        b"",
        Duration::from_secs(5),
    ));
    let _ = child.kill();
    let _ = child.wait();
    assert_eq!(r.status(), 200);
    eprintln!("sv-sim start-up to first line: {elapsed:?}");
    assert!(elapsed < Duration::from_secs(1), "{elapsed:?}");
}

/// 100 000 Ekran sessions: the budget is 1 s in release; debug builds get ten times that.
#[test]
fn generating_100k_ekran_sessions_is_fast() {
    let t = Instant::now();
    let app = App::new(Config {
        ekran_sessions: 100_000,
        ..Config::default()
    });
    let elapsed = t.elapsed();
    assert_eq!(app.ekran.sessions.len(), 100_002);
    let budget = if cfg!(debug_assertions) { 10 } else { 1 };
    eprintln!("generated 100k Ekran sessions (with all other datasets) in {elapsed:?}");
    assert!(elapsed < Duration::from_secs(budget), "{elapsed:?}");
}
