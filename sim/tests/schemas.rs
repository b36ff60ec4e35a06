//! Every response body the app reads (and the endpoints added for it), checked against the
//! vendor's own OpenAPI document in `../shared/vendor-specs` (beside the repository; CI has it):
//! VBA against `vba-1.0-rev0.openapi.yaml`, M365 against `vb365-v{6,7,8}.openapi.json`. EM, PAM
//! and Ekran publish no OpenAPI document here: their shapes are checked against SPEC §1 and the
//! seed pages by name in tests/vendors.rs and tests/today.rs.

mod support;

use std::path::PathBuf;

use serde_json::Value;
use session_viewer_sim::Config;
use support::openapi::Doc;
use support::{start, Sim};

/// Fields VBA added after the 1.0-rev0 document: `Session.name` and
/// `Session.extendedSessionType` (the simulator sends them from 1.7-rev0 on).
const VBA_NEWER_FIELDS: [&str; 2] = ["name", "extendedSessionType"];

fn specs_dir() -> Option<PathBuf> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../shared/vendor-specs");
    if dir.join("vba-1.0-rev0.openapi.yaml").is_file() {
        Some(dir)
    } else {
        // Said plainly on both streams, so a run without the documents is not mistaken for a pass
        // of the checks.
        let msg = format!(
            "vendor-specs not found at {}: schema checks NOT run",
            dir.display()
        );
        println!("{msg}");
        eprintln!("{msg}");
        None
    }
}

fn load(dir: &std::path::Path, file: &str) -> Doc {
    let text = std::fs::read_to_string(dir.join(file)).expect("read vendor spec");
    if file.ends_with(".yaml") {
        Doc::from_yaml(&text)
    } else {
        Doc::from_json(&text)
    }
}

async fn get_json(sim: &Sim, path: &str, h: &[(&str, &str)]) -> Value {
    let r = sim.get(path, h).await;
    assert_eq!(r.status(), 200, "{path}: {}", r.text());
    r.json()
}

#[tokio::test]
async fn m365_bodies_match_the_vendor_schema_of_each_version() {
    let Some(dir) = specs_dir() else { return };
    let sim = start(Config {
        m365_log_items: 40,
        m365_token_limit: 100,
        ..Config::default()
    })
    .await;
    for v in ["v6", "v7", "v8"] {
        let doc = load(&dir, &format!("vb365-{v}.openapi.json"));
        let tok = sim
            .post_form(
                &format!("/vendors/m365/{v}/token"),
                &[],
                "grant_type=password&username=admin&password=admin&disable_antiforgery_token=true",
            )
            .await;
        assert_eq!(tok.status(), 200, "{}", tok.text());
        let tok = tok.json();
        doc.assert_valid("OAuthTokenResponse", &tok, &[], &format!("{v} token"));
        let bearer = format!("Bearer {}", tok["access_token"].as_str().unwrap());
        let h = [("Authorization", bearer.as_str())];
        let p = |rest: &str| format!("/vendors/m365/{v}/{rest}");

        let page = get_json(&sim, &p("JobSessions?limit=10000"), &h).await;
        doc.assert_valid(
            "PageOfRESTJobSession",
            &page,
            &[],
            &format!("{v} JobSessions"),
        );
        let all = page["results"].as_array().unwrap();
        // The variety the checks must see: running, failed, a retry.
        assert!(all.iter().any(|s| s["status"] == "Running"));
        assert!(all.iter().any(|s| s["status"] == "Failed"));
        let retry = all.iter().find(|s| s["retryCount"] == 1).expect("a retry");
        let one = get_json(
            &sim,
            &p(&format!("JobSessions/{}", retry["id"].as_str().unwrap())),
            &h,
        )
        .await;
        doc.assert_valid("RESTJobSession", &one, &[], &format!("{v} JobSession"));

        for id in [
            "be376069-2865-4156-a9bc-825cef7d687e",
            "0b1e55ed-0000-4000-8000-00000000365b",
            all[0]["id"].as_str().unwrap(),
        ] {
            let items = get_json(
                &sim,
                &p(&format!("JobSessions/{id}/LogItems?limit=100")),
                &h,
            )
            .await;
            doc.assert_valid(
                "PageOfRESTLogItem",
                &items,
                &[],
                &format!("{v} LogItems of {id}"),
            );
            assert!(!items["results"].as_array().unwrap().is_empty());
        }

        let jobs = get_json(&sim, &p("Jobs"), &h).await;
        if v == "v8" {
            doc.assert_valid("PageOfRESTJob", &jobs, &[], "v8 Jobs");
        } else {
            for j in jobs.as_array().expect("v6/v7 Jobs is an array") {
                doc.assert_valid("RESTJob", j, &[], &format!("{v} Jobs item"));
            }
        }

        for (path, hh) in [
            (p("JobSessions"), &[][..]),
            (p("JobSessions/nope-id"), &h[..]),
        ] {
            let r = sim.get(&path, hh).await;
            assert!(r.status() >= 400);
            doc.assert_valid("RESTExceptionInfo", &r.json(), &[], &format!("{v} error"));
        }
    }
}

#[tokio::test]
async fn vba_bodies_match_the_vendor_schema_at_old_and_new_revisions() {
    let Some(dir) = specs_dir() else { return };
    let doc = load(&dir, "vba-1.0-rev0.openapi.yaml");
    let sim = start(Config {
        aws_sessions: 120,
        aws_log_entries: 30,
        aws_release: session_viewer_sim::vendors::aws::Release::parse("all").unwrap(),
        ..Config::default()
    })
    .await;
    for (version, extra) in [("1.0-rev0", &[][..]), ("1.7-rev0", &VBA_NEWER_FIELDS[..])] {
        let v = ("x-api-version", version);
        let tok = sim
            .post_form(
                "/vendors/aws/api/v1/token",
                &[v],
                "grant_type=password&username=admin&password=admin",
            )
            .await;
        doc.assert_valid("RESTLogin", &tok.json(), &[], "token");
        let bearer = format!("Bearer {}", tok.json()["access_token"].as_str().unwrap());
        let h = [v, ("Authorization", bearer.as_str())];
        let page = get_json(&sim, "/vendors/aws/api/v1/sessions?Limit=-1", &h).await;
        doc.assert_valid(
            "SessionsPage",
            &page,
            extra,
            &format!("sessions at {version}"),
        );
        let all = page["results"].as_array().unwrap();
        for status in ["Running", "Failed", "Canceled", "Succeeded"] {
            let s = all.iter().find(|s| s["status"] == status).expect(status);
            let id = s["id"].as_str().unwrap();
            let one = get_json(&sim, &format!("/vendors/aws/api/v1/sessions/{id}"), &h).await;
            doc.assert_valid(
                "Session",
                &one,
                extra,
                &format!("{status} session at {version}"),
            );
            let log = get_json(&sim, &format!("/vendors/aws/api/v1/sessions/{id}/log"), &h).await;
            doc.assert_valid(
                "SessionLog",
                &log,
                &[],
                &format!("log of a {status} session"),
            );
        }
        let seed = get_json(
            &sim,
            "/vendors/aws/api/v1/sessions/90faa259-fbf6-493a-b492-e59e1cfbe3a6/log",
            &h,
        )
        .await;
        doc.assert_valid("SessionLog", &seed, &[], "seed log");
    }
    // MFA: the first step's answer and the errors are schema bodies too.
    let v = ("x-api-version", "1.7-rev0");
    let first = sim
        .post_form(
            "/vendors/aws/api/v1/token",
            &[v],
            "grant_type=password&username=mfa&password=mfa",
        )
        .await;
    doc.assert_valid("RESTLogin", &first.json(), &[], "MFA first step");
    for r in [
        sim.get("/vendors/aws/api/v1/sessions", &[v]).await,
        sim.get(
            "/vendors/aws/api/v1/sessions",
            &[("x-api-version", "2.0-rev0")],
        )
        .await,
        sim.post_form(
            "/vendors/aws/api/v1/token",
            &[v],
            "grant_type=mfa&mfa_token=x&mfa_code=1",
        )
        .await,
        sim.get("/vendors/aws/api/v1/nothing", &[v]).await,
    ] {
        assert!(r.status() >= 400);
        doc.assert_valid("Error", &r.json(), &[], "error body");
    }
}

// ------------------------------------------------ the validator itself can fail

const MINI: &str = r##"{"components":{"schemas":{
  "Item":{"type":"object","required":["id"],"properties":{
    "id":{"type":"string","format":"uuid"},
    "at":{"type":"string","format":"date-time"},
    "n":{"type":"integer"},
    "kind":{"type":"string","enum":["A","B"]},
    "note":{"type":"string","nullable":true},
    "links":{"type":"object","additionalProperties":{"$ref":"#/components/schemas/Link"}},
    "list":{"type":"array","items":{"$ref":"#/components/schemas/Link"}},
    "either":{"oneOf":[{"type":"string"},{"type":"integer"}]}}},
  "Link":{"type":"object","properties":{"href":{"type":"string"}}}}}}"##;

#[test]
fn validator_accepts_a_conforming_body() {
    let doc = Doc::from_json(MINI);
    let ok = serde_json::json!({"id":"046b6c7f-0b8a-43b9-b35d-6489e6daee91","at":"2020-06-20T19:12:00.514619",
        "n":3,"kind":"A","note":null,"links":{"self":{"href":"x"}},"list":[{"href":"y"}],"either":5});
    assert_eq!(doc.validate("Item", &ok, &[]), Vec::<String>::new());
}

#[test]
fn validator_reports_each_kind_of_violation() {
    let doc = Doc::from_json(MINI);
    let cases = [
        (serde_json::json!({}), "required property id missing"),
        (serde_json::json!({"id":"nope"}), "is not a uuid"),
        (
            serde_json::json!({"id":"046b6c7f-0b8a-43b9-b35d-6489e6daee91","n":"3"}),
            "is not of type integer",
        ),
        (
            serde_json::json!({"id":"046b6c7f-0b8a-43b9-b35d-6489e6daee91","kind":"C"}),
            "is not one of",
        ),
        (
            serde_json::json!({"id":"046b6c7f-0b8a-43b9-b35d-6489e6daee91","n":null}),
            "not nullable",
        ),
        (
            serde_json::json!({"id":"046b6c7f-0b8a-43b9-b35d-6489e6daee91","at":"yesterday"}),
            "is not a date-time",
        ),
        (
            serde_json::json!({"id":"046b6c7f-0b8a-43b9-b35d-6489e6daee91","title":"x"}),
            "property title is not in the schema",
        ),
        (
            serde_json::json!({"id":"046b6c7f-0b8a-43b9-b35d-6489e6daee91","links":{"self":{"href":1}}}),
            "links.self.href",
        ),
        (
            serde_json::json!({"id":"046b6c7f-0b8a-43b9-b35d-6489e6daee91","list":[{"href":true}]}),
            "list[0].href",
        ),
        (
            serde_json::json!({"id":"046b6c7f-0b8a-43b9-b35d-6489e6daee91","either":true}),
            "0 of the oneOf",
        ),
    ];
    for (body, want) in cases {
        let errs = doc.validate("Item", &body, &[]);
        assert!(
            errs.iter().any(|e| e.contains(want)),
            "{body}: want '{want}', got {errs:?}"
        );
    }
    // The allow-list admits a named newer field and nothing else.
    let newer = serde_json::json!({"id":"046b6c7f-0b8a-43b9-b35d-6489e6daee91","title":"x"});
    assert!(doc.validate("Item", &newer, &["title"]).is_empty());
}
