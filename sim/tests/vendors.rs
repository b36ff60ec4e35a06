//! End-to-end behaviour of the five simulated vendor APIs over HTTP: auth success and failures,
//! error bodies, paging to the end, filters, the seed examples and reproducible data.

mod support;

use std::time::Duration;

use session_viewer_sim::Config;
use support::{start, start_default, Sim};

const EM_SEED_TOKEN: &str = "NDRjZmJkYmUtNWE5NS00MTU2LTg4NjctOTFmMDY5YjdjMmNj";
const EM_SEED_ID: &str = "5496707f-c814-47ce-8d6d-110aa03cec03";
const V: (&str, &str) = ("x-api-version", "1.7-rev0");

// ---------------------------------------------------------------- Enterprise Manager

async fn em_logon(sim: &Sim, accept: Option<&str>) -> support::Resp {
    let mut h = vec![("Authorization", "Basic YWRtaW46YWRtaW4=")]; // admin:admin
    if let Some(a) = accept {
        h.push(("Accept", a));
    }
    sim.req("POST", "/vendors/em/api/sessionMngr/?v=latest", &h, b"")
        .await
}

#[tokio::test]
async fn em_logon_returns_201_a_token_header_and_an_xml_logon_session() {
    let sim = start_default().await;
    let r = em_logon(&sim, None).await;
    assert_eq!(r.status(), 201);
    let token = r.header("x-restsvcsessionid").unwrap().to_string();
    let body = r.text();
    assert!(r
        .header("content-type")
        .unwrap()
        .starts_with("application/xml"));
    assert!(body.contains(
        "<LogonSession xmlns=\"http://www.veeam.com/ent/v1.0\" Type=\"LogonSession\" Href=\""
    ));
    assert!(body.contains("<Links>") && body.contains("<Link "));
    assert!(body.contains("<UserName>ENTERPRISE04\\admin</UserName>"));
    let id = body
        .split("<SessionId>")
        .nth(1)
        .unwrap()
        .split('<')
        .next()
        .unwrap()
        .to_string();
    // The token is base64, and not the session GUID.
    assert_ne!(token, id);
    assert!(token.ends_with('=') || token.len() % 4 == 0);

    // The token authenticates later calls; the session is listed and fetchable in JSON.
    let list = sim
        .get(
            "/vendors/em/api/logonSessions",
            &[("X-RestSvcSessionId", &token)],
        )
        .await;
    assert_eq!(list.status(), 200);
    assert!(list.text().starts_with("<?xml") && list.text().contains("<LogonSessions"));
    assert!(list.text().contains(&id));
    let one = sim
        .get(
            &format!("/vendors/em/api/logonSessions/{id}"),
            &[
                ("X-RestSvcSessionId", &token),
                ("Accept", "application/json"),
            ],
        )
        .await;
    assert_eq!(one.status(), 200);
    let j = one.json();
    assert_eq!(j["SessionId"], id.as_str());
    assert_eq!(j["Type"], "LogonSession");
    assert!(
        j["Links"][1]["Name"].is_null(),
        "absent attributes are null"
    );
    assert!(j["Links"][0]["Rel"].is_string());

    // Log off, then the token is dead.
    let del = sim
        .req(
            "DELETE",
            &format!("/vendors/em/api/logonSessions/{id}"),
            &[("X-RestSvcSessionId", &token)],
            b"",
        )
        .await;
    assert_eq!(del.status(), 204);
    let after = sim
        .get(
            "/vendors/em/api/logonSessions",
            &[("X-RestSvcSessionId", &token)],
        )
        .await;
    assert_eq!(after.status(), 401);
}

#[tokio::test]
async fn em_seed_example_answers_as_on_the_page() {
    let sim = start_default().await;
    let r = sim
        .get(
            &format!("/vendors/em/api/logonSessions/{EM_SEED_ID}"),
            &[("X-RestSvcSessionId", EM_SEED_TOKEN)],
        )
        .await;
    assert_eq!(r.status(), 200);
    let href = format!(
        "http://{}/vendors/em/api/logonSessions/{EM_SEED_ID}",
        sim.addr
    );
    assert!(r.text().contains(&format!(
        "<LogonSession xmlns=\"http://www.veeam.com/ent/v1.0\" Type=\"LogonSession\" Href=\"{href}\">"
    )));
    assert!(r
        .text()
        .contains("<UserName>ENTERPRISE04\\Administrator</UserName>"));
    // JSON only for exactly one Accept value.
    let both = sim
        .get(
            &format!("/vendors/em/api/logonSessions/{EM_SEED_ID}"),
            &[
                ("X-RestSvcSessionId", EM_SEED_TOKEN),
                ("Accept", "application/json, application/xml"),
            ],
        )
        .await;
    assert!(both.text().starts_with("<?xml"));
}

#[tokio::test]
async fn em_auth_failures_carry_www_authenticate_and_em_error_bodies() {
    let sim = start_default().await;
    // No credentials, wrong password, garbage Basic.
    for auth in [None, Some("Basic YWRtaW46d3Jvbmc="), Some("Basic !!!")] {
        let mut h = vec![];
        if let Some(a) = auth {
            h.push(("Authorization", a));
        }
        let r = sim
            .req("POST", "/vendors/em/api/sessionMngr/?v=latest", &h, b"")
            .await;
        assert_eq!(r.status(), 401, "{auth:?}");
        assert_eq!(r.header("www-authenticate"), Some("Basic"));
        assert!(r
            .text()
            .contains("<Error xmlns=\"http://www.veeam.com/ent/v1.0\""));
        assert!(r.text().contains("StatusCode=\"401\""));
    }
    // No token, unknown token: JSON error body when JSON was asked for.
    for h in [vec![], vec![("X-RestSvcSessionId", "bm9wZQ==")]] {
        let mut h = h;
        h.push(("Accept", "application/json"));
        let r = sim.get("/vendors/em/api/logonSessions", &h).await;
        assert_eq!(r.status(), 401);
        assert_eq!(r.header("www-authenticate"), Some("Basic"));
        let j = r.json();
        assert_eq!(j["StatusCode"], 401);
        assert!(j["Message"].is_string());
    }
    // 404 for an unknown session, 403 for deleting someone else's.
    let r = sim
        .get(
            "/vendors/em/api/logonSessions/00000000-0000-0000-0000-000000000000",
            &[
                ("X-RestSvcSessionId", EM_SEED_TOKEN),
                ("Accept", "application/json"),
            ],
        )
        .await;
    assert_eq!(r.status(), 404);
    assert_eq!(r.json()["StatusCode"], 404);
    let mine = em_logon(&sim, None).await;
    let token = mine.header("x-restsvcsessionid").unwrap();
    let r = sim
        .req(
            "DELETE",
            &format!("/vendors/em/api/logonSessions/{EM_SEED_ID}"),
            &[("X-RestSvcSessionId", token)],
            b"",
        )
        .await;
    assert_eq!(r.status(), 403);
}

#[tokio::test]
async fn em_token_dies_after_the_idle_timeout() {
    let sim = start(Config {
        em_idle_timeout: Duration::from_millis(300),
        ..Config::default()
    })
    .await;
    let r = em_logon(&sim, Some("application/json")).await;
    assert_eq!(r.status(), 201);
    assert_eq!(r.json()["Type"], "LogonSession");
    let token = r.header("x-restsvcsessionid").unwrap().to_string();
    // Use keeps it alive...
    for _ in 0..3 {
        tokio::time::sleep(Duration::from_millis(150)).await;
        let ok = sim
            .get(
                "/vendors/em/api/logonSessions",
                &[("X-RestSvcSessionId", &token)],
            )
            .await;
        assert_eq!(ok.status(), 200);
    }
    // ...idleness kills it.
    tokio::time::sleep(Duration::from_millis(450)).await;
    let dead = sim
        .get(
            "/vendors/em/api/logonSessions",
            &[("X-RestSvcSessionId", &token)],
        )
        .await;
    assert_eq!(dead.status(), 401);
}

// ---------------------------------------------------------------- Veeam Backup for AWS

#[tokio::test]
async fn aws_seed_log_is_the_pages_five_items_verbatim() {
    let sim = start_default().await;
    let tok = sim.aws_token().await;
    assert_eq!(tok["token_type"], "bearer");
    assert!(tok["expires_in"].as_u64().unwrap() > 0);
    let bearer = format!("Bearer {}", tok["access_token"].as_str().unwrap());
    let r = sim
        .get(
            "/vendors/aws/api/v1/sessions/90faa259-fbf6-493a-b492-e59e1cfbe3a6/log",
            &[("Authorization", &bearer), V],
        )
        .await;
    assert_eq!(r.status(), 200);
    let expected: serde_json::Value = serde_json::from_str(
        r#"{"sessionId":"90faa259-fbf6-493a-b492-e59e1cfbe3a6","log":[
        {"status":"Success","logTime":"2020-06-20T19:12:00.514619","message":"FLR task 'ubuntu16' started at 05/20/2020 21:11:59.","executionStartTime":"2020-06-20T19:12:00.514619","executionDuration":0},
        {"status":"Success","logTime":"2020-06-20T19:22:13.849335","message":"Processing ubuntu16.","executionStartTime":"2020-06-20T19:12:04.161597","executionDuration":687},
        {"status":"Success","logTime":"2020-06-20T19:15:57.919684","message":"Preparing the worker VM.","executionStartTime":"2020-06-20T19:14:13.888376","executionDuration":31},
        {"status":"Success","logTime":"2020-06-20T19:19:52.3988","message":"File Level Recovery Browser is ready to work","executionStartTime":"2020-06-20T19:19:52.3988","executionDuration":0},
        {"status":"Success","logTime":"2020-06-20T19:22:46.807221","message":"Session finished at 05/20/2020 21:22:46.","executionStartTime":"2020-06-20T19:22:46.807221","executionDuration":0}]}"#,
    )
    .unwrap();
    assert_eq!(r.json(), expected);
}

#[tokio::test]
async fn aws_auth_failures_are_problem_json() {
    let sim = start(Config {
        aws_token_ttl: Duration::from_millis(300),
        ..Config::default()
    })
    .await;
    let check = |r: &support::Resp, status: u16, code: &str| {
        assert_eq!(r.status(), status, "{}", r.text());
        assert!(r
            .header("content-type")
            .unwrap()
            .starts_with("application/problem+json"));
        let j = r.json();
        for k in [
            "type",
            "title",
            "status",
            "errorCode",
            "details",
            "instance",
        ] {
            assert!(!j[k].is_null(), "{k} missing in {j}");
        }
        assert_eq!(j["status"], status);
        assert_eq!(j["errorCode"], code);
    };
    let path = "/vendors/aws/api/v1/sessions";
    // Only `errorCode` words the vendor's schema lists.
    check(&sim.get(path, &[V]).await, 401, "InvalidToken");
    check(
        &sim.get(path, &[V, ("Authorization", "Bearer nope")]).await,
        401,
        "InvalidToken",
    );
    check(&sim.get(path, &[]).await, 400, "UnexpectedContent");
    check(
        &sim.get(path, &[("x-api-version", "9.9-rev0")]).await,
        400,
        "UnexpectedContent",
    );
    let bad = sim
        .post_form(
            "/vendors/aws/api/v1/token",
            &[V],
            "grant_type=password&username=admin&password=wrong",
        )
        .await;
    check(&bad, 401, "AccessDenied");
    let bad = sim
        .post_form("/vendors/aws/api/v1/token", &[V], "grant_type=magic")
        .await;
    check(&bad, 400, "UnexpectedContent");

    // Expiry, then refresh once, then log off.
    let tok = sim.aws_token().await;
    let bearer = format!("Bearer {}", tok["access_token"].as_str().unwrap());
    assert_eq!(
        sim.get(path, &[V, ("Authorization", &bearer)])
            .await
            .status(),
        200
    );
    tokio::time::sleep(Duration::from_millis(400)).await;
    check(
        &sim.get(path, &[V, ("Authorization", &bearer)]).await,
        401,
        "ExpiredToken",
    );
    let refreshed = sim
        .post_form(
            "/vendors/aws/api/v1/token",
            &[V],
            &format!(
                "grant_type=refresh_token&refresh_token={}",
                tok["refresh_token"].as_str().unwrap()
            ),
        )
        .await;
    assert_eq!(refreshed.status(), 200);
    let bearer = format!(
        "Bearer {}",
        refreshed.json()["access_token"].as_str().unwrap()
    );
    assert_eq!(
        sim.get(path, &[V, ("Authorization", &bearer)])
            .await
            .status(),
        200
    );
    let out = sim
        .req(
            "DELETE",
            "/vendors/aws/api/v1/token",
            &[V, ("Authorization", &bearer)],
            b"",
        )
        .await;
    assert_eq!(out.status(), 204, "the schema documents 204 No Content");
    assert!(out.body.is_empty());
    check(
        &sim.get(path, &[V, ("Authorization", &bearer)]).await,
        401,
        "InvalidToken",
    );
}

#[tokio::test]
async fn aws_session_list_pages_to_the_end_and_filters() {
    let sim = start(Config {
        aws_sessions: 57,
        ..Config::default()
    })
    .await;
    let tok = sim.aws_token().await;
    let bearer = format!("Bearer {}", tok["access_token"].as_str().unwrap());
    let h = [V, ("Authorization", bearer.as_str())];
    let mut seen = Vec::new();
    let mut total = None;
    for page in 0..100 {
        let r = sim
            .get(
                &format!("/vendors/aws/api/v1/sessions?Offset={}&Limit=10", page * 10),
                &h,
            )
            .await;
        assert_eq!(r.status(), 200);
        let j = r.json();
        total = Some(j["totalCount"].as_u64().unwrap());
        let results = j["results"].as_array().unwrap().clone();
        if results.is_empty() {
            break;
        }
        seen.extend(results);
    }
    // 57 generated + the big-log session + the seed session.
    assert_eq!(total, Some(59));
    assert_eq!(seen.len(), 59);
    let ids: std::collections::HashSet<_> = seen.iter().map(|s| s["id"].to_string()).collect();
    assert_eq!(ids.len(), 59);
    assert!(seen
        .iter()
        .any(|s| s["status"] == "Running" && s["executionStopTime"].is_null()));

    // Status filter (case-insensitive names, comma list).
    let r = sim
        .get("/vendors/aws/api/v1/sessions?status=Failed,Warning", &h)
        .await;
    let j = r.json();
    let res = j["results"].as_array().unwrap();
    assert!(!res.is_empty());
    assert!(res
        .iter()
        .all(|s| s["status"] == "Failed" || s["status"] == "Warning"));
    assert_eq!(j["totalCount"].as_u64().unwrap() as usize, res.len());
    // Time filter: only the seed session is from 2020.
    let r = sim
        .get(
            "/vendors/aws/api/v1/sessions?FromUtc=2020-01-01T00:00:00Z&ToUtc=2020-12-31",
            &h,
        )
        .await;
    let j = r.json();
    assert_eq!(j["totalCount"], 1);
    assert_eq!(
        j["results"][0]["id"],
        "90faa259-fbf6-493a-b492-e59e1cfbe3a6"
    );
    // Bad filters are 400 problems, not panics.
    for q in [
        "Offset=-1",
        "Limit=x",
        "FromUtc=yesterday",
        "Status=Exploded",
    ] {
        let r = sim
            .get(&format!("/vendors/aws/api/v1/sessions?{q}"), &h)
            .await;
        assert_eq!(r.status(), 400, "{q}");
        assert_eq!(r.json()["status"], 400);
    }
    // Single session and unknown one.
    let one = sim
        .get(
            "/vendors/aws/api/v1/sessions/90faa259-fbf6-493a-b492-e59e1cfbe3a6",
            &h,
        )
        .await;
    assert_eq!(one.json()["result"], "Success");
    let missing = sim.get("/vendors/aws/api/v1/sessions/nope/log", &h).await;
    assert_eq!(missing.status(), 404);
    assert_eq!(missing.json()["errorCode"], "NotFound");
}

#[tokio::test]
async fn aws_big_log_has_the_requested_size_and_zone_less_times() {
    let sim = start(Config {
        aws_log_entries: 5000,
        ..Config::default()
    })
    .await;
    let tok = sim.aws_token().await;
    let bearer = format!("Bearer {}", tok["access_token"].as_str().unwrap());
    let r = sim
        .get(
            "/vendors/aws/api/v1/sessions/0b1e55ed-0000-4000-8000-00000000b16a/log",
            &[V, ("Authorization", &bearer)],
        )
        .await;
    let j = r.json();
    let log = j["log"].as_array().unwrap();
    assert_eq!(log.len(), 5000);
    for item in log {
        let t = item["logTime"].as_str().unwrap();
        assert!(!t.ends_with('Z') && !t.contains('+'), "{t}");
        assert!(item["executionDuration"].is_i64());
    }
    assert!(log.iter().any(|i| i["status"] == "Warning"));
}

// ---------------------------------------------------------------- Microsoft 365

#[tokio::test]
async fn m365_log_items_page_to_the_end_with_the_envelope() {
    let sim = start(Config {
        m365_log_items: 95,
        ..Config::default()
    })
    .await;
    let bearer = format!("Bearer {}", sim.m365_token().await);
    let h = [("Authorization", bearer.as_str())];
    let mut path = Some(
        "/vendors/m365/v7/JobSessions/0b1e55ed-0000-4000-8000-00000000365b/LogItems".to_string(),
    );
    let mut items = Vec::new();
    let mut pages = 0;
    while let Some(p) = path.take() {
        pages += 1;
        assert!(pages < 50, "paging does not end");
        let r = sim.get(&p, &h).await;
        assert_eq!(r.status(), 200, "{}", r.text());
        let j = r.json();
        assert_eq!(j["limit"], 30, "default limit");
        items.extend(j["results"].as_array().unwrap().clone());
        path = j["_links"]["next"]["href"]
            .as_str()
            .map(|h| h.replace(&format!("http://{}", sim.addr), ""));
    }
    assert_eq!(pages, 4);
    assert_eq!(items.len(), 95);
    let usns: Vec<u64> = items.iter().map(|i| i["usn"].as_u64().unwrap()).collect();
    assert!(usns.windows(2).all(|w| w[0] < w[1]), "ordered by usn");
    assert!(
        usns.windows(2).any(|w| w[1] - w[0] > 1),
        "usn not contiguous"
    );
    for i in &items {
        let title = i["title"].as_str().unwrap();
        assert!(title.starts_with('['), "{title}");
        assert!(i["_links"]["jobsessions"]["href"].is_string());
        assert!(i["creationTime"].as_str().unwrap().ends_with("-07:00"));
    }
    // limit bounds.
    for q in ["limit=0", "limit=10001", "offset=x"] {
        let r = sim
            .get(
                &format!("/vendors/m365/v7/JobSessions/0b1e55ed-0000-4000-8000-00000000365b/LogItems?{q}"),
                &h,
            )
            .await;
        assert_eq!(r.status(), 400, "{q}");
        assert!(r.json()["message"].is_string());
    }
    let r = sim
        .get(
            "/vendors/m365/v7/JobSessions/0b1e55ed-0000-4000-8000-00000000365b/LogItems?limit=10000",
            &h,
        )
        .await;
    assert_eq!(r.json()["results"].as_array().unwrap().len(), 95);
}

#[tokio::test]
async fn m365_seed_items_and_the_wrong_log_link() {
    let sim = start_default().await;
    let bearer = format!("Bearer {}", sim.m365_token().await);
    let h = [("Authorization", bearer.as_str())];
    let seed = "be376069-2865-4156-a9bc-825cef7d687e";
    let r = sim
        .get(&format!("/vendors/m365/v7/JobSessions/{seed}/LogItems"), &h)
        .await;
    let j = r.json();
    let items = j["results"].as_array().unwrap();
    assert_eq!(items.len(), 5);
    assert_eq!(items[0]["id"], "e7668151-524f-4fa5-a30a-c647bf7ca8c5");
    assert_eq!(
        items[0]["title"],
        "[Success] Job started at 4/4/2017 12:07:21 AM"
    );
    assert_eq!(
        items[0]["creationTime"],
        "2017-04-04T00:07:21.3664166-07:00"
    );
    assert_eq!(items[3]["endTime"], "2017-04-04T00:07:28.454487-07:00");
    // The JobSession's log link 404s; the LogItems path works.
    let s = sim
        .get(&format!("/vendors/m365/v7/JobSessions/{seed}"), &h)
        .await
        .json();
    let log = s["_links"]["log"]["href"]
        .as_str()
        .unwrap()
        .replace(&format!("http://{}", sim.addr), "");
    let r = sim.get(&log, &h).await;
    assert_eq!(r.status(), 404);
    assert!(r.json()["message"].is_string());
}

#[tokio::test]
async fn m365_month_of_sessions_has_warnings_failures_and_running_ones() {
    let sim = start_default().await;
    let bearer = format!("Bearer {}", sim.m365_token().await);
    let r = sim
        .get(
            "/vendors/m365/v7/JobSessions?limit=10000",
            &[("Authorization", bearer.as_str())],
        )
        .await;
    let j = r.json();
    let all = j["results"].as_array().unwrap();
    assert!(all.len() > 800, "{}", all.len());
    for status in ["Success", "Warning", "Failed", "Running"] {
        assert!(all.iter().any(|s| s["status"] == status), "{status}");
    }
    let running = all.iter().find(|s| s["status"] == "Running").unwrap();
    assert_eq!(running["endTime"], "0001-01-01T00:00:00");
    assert!(j["_links"]["next"].is_null());
}

#[tokio::test]
async fn m365_auth_failures_and_token_throttle() {
    let sim = start(Config {
        m365_token_limit: 2,
        m365_token_window: Duration::from_millis(500),
        ..Config::default()
    })
    .await;
    let r = sim.get("/vendors/m365/v7/JobSessions", &[]).await;
    assert_eq!(r.status(), 401);
    assert_eq!(
        r.json()["message"],
        "Authorization has been denied for this request."
    );
    let r = sim
        .get(
            "/vendors/m365/v7/JobSessions",
            &[("Authorization", "Bearer nope")],
        )
        .await;
    assert_eq!(r.status(), 401);
    let bad = sim
        .post_form(
            "/vendors/m365/v7/token",
            &[],
            "grant_type=password&username=admin&password=no",
        )
        .await;
    assert_eq!(bad.status(), 400);
    assert_eq!(bad.json()["error"], "invalid_grant");
    // Two calls used the window (the failed one counts); the third is throttled.
    let _ = sim.m365_token().await;
    let r = sim
        .post_form(
            "/vendors/m365/v7/token",
            &[],
            "grant_type=password&username=admin&password=admin",
        )
        .await;
    assert_eq!(r.status(), 429);
    assert!(r.header("retry-after").is_some());
    tokio::time::sleep(Duration::from_millis(600)).await;
    let _ = sim.m365_token().await;
}

// ---------------------------------------------------------------- MIM PAM

#[tokio::test]
async fn pam_needs_browser_credentials_on_both_paths() {
    let sim = start(Config {
        pam_legacy_path: true,
        ..Config::default()
    })
    .await;
    for path in [
        "/vendors/pam/api/session/sessioninfo/",
        "/vendors/pam/api/pamresources/sessioninfo?v=2.0",
    ] {
        let r = sim.get(path, &[]).await;
        assert_eq!(r.status(), 401);
        assert_eq!(
            r.headers_named("www-authenticate"),
            vec!["Negotiate", "NTLM"]
        );
        let j = r.json();
        assert_eq!(j["odata.error"]["message"]["lang"], "en-US");
        assert!(j["odata.error"]["code"].is_string());
        for h in [
            ("Cookie", "ASP.NET_SessionId=x"),
            ("Authorization", "Negotiate YIIabc"),
        ] {
            let r = sim.get(path, &[h]).await;
            assert_eq!(r.status(), 200);
            let j = r.json();
            assert_eq!(j["value"][0]["Username"], "FIMCITONEBOXAD\\Jen");
            assert!(j["odata.metadata"]
                .as_str()
                .unwrap()
                .ends_with("/api/pamresources/%24metadata#sessioninfo"));
        }
    }
    let r = sim
        .get(
            "/vendors/pam/api/session/sessioninfo",
            &[("Authorization", "Bearer x")],
        )
        .await;
    assert_eq!(r.status(), 401);
    let login = sim.get("/vendors/pam/sim/login", &[]).await;
    assert!(login
        .header("set-cookie")
        .unwrap()
        .starts_with("PamSimAuth=1"));
    let off = start(Config {
        pam_auth: false,
        ..Config::default()
    })
    .await;
    assert_eq!(
        off.get("/vendors/pam/api/pamresources/sessioninfo", &[])
            .await
            .status(),
        200
    );
}

// ---------------------------------------------------------------- Ekran

const EK: (&str, &str) = ("Authorization", "Bearer ekran-demo-token");

#[tokio::test]
async fn ekran_seed_sessions_range_rule_and_formats() {
    let sim = start_default().await;
    let all = sim
        .get("/vendors/ekran/ekranapi/sessions", &[EK])
        .await
        .json();
    let all = all.as_array().unwrap();
    assert_eq!(all.len(), 1002);
    assert_eq!(
        all[0],
        serde_json::json!({"clientGuid":"1d4fegdr-g3ff-4114-a814-f3aeee14dgdg",
            "logoutDate":"2000-01-23T04:56:07.000+00:00","loginDate":"2000-01-23T04:56:07.000+00:00",
            "sessionId":124,"userId":61})
    );
    assert_eq!(all[1]["sessionId"], 142);
    assert!(
        all.iter().any(|s| s["logoutDate"].is_null()),
        "some still open"
    );

    // Only the seed sessions are in January 2000; every documented form is accepted.
    for (start, end) in [
        ("2000-01-01", "2000-02-01"),
        ("2000-01-23T04:56", "2000-01-23T04:57"),
        ("2000-01-23T04:56:07", "2000-01-23T04:56:08"),
    ] {
        let r = sim
            .get(
                &format!("/vendors/ekran/ekranapi/sessions?start={start}&end={end}"),
                &[EK],
            )
            .await;
        assert_eq!(r.json().as_array().unwrap().len(), 2, "{start}..{end}");
    }
    // Clipping: sessions overlapping the window come back clipped to it.
    let r = sim
        .get(
            "/vendors/ekran/ekranapi/sessions?start=2025-08-20T10:00&end=2025-08-20T12:00",
            &[EK],
        )
        .await
        .json();
    let sel = r.as_array().unwrap();
    assert!(!sel.is_empty());
    for s in sel {
        let login = s["loginDate"].as_str().unwrap();
        assert!(
            ("2025-08-20T10:00".."2025-08-20T12:00").contains(&login),
            "{login}"
        );
        if let Some(out) = s["logoutDate"].as_str() {
            assert!(out <= "2025-08-20T12:00:00.000+00:00", "{out}");
        }
    }
    // Bad values are 400 with the error body.
    for q in ["start=2021-04-01Z", "end=01/04/2021", "start=2021-13-01"] {
        let r = sim
            .get(&format!("/vendors/ekran/ekranapi/sessions?{q}"), &[EK])
            .await;
        assert_eq!(r.status(), 400, "{q}");
        let j = r.json();
        assert_eq!(j["status"], 400);
        assert_eq!(j["path"], "/ekranapi/sessions");
    }
}

#[tokio::test]
async fn ekran_paged_post_walks_every_session_with_timespans() {
    let sim = start(Config {
        ekran_sessions: 2500,
        ..Config::default()
    })
    .await;
    let mut n = 0;
    let mut last_id = 0;
    for page in 0..10 {
        let body = format!("{{\"pageIndex\":{page},\"sessionCount\":1000}}");
        let r = sim
            .req(
                "POST",
                "/vendors/ekran/ekranapi/sessions",
                &[EK, ("Content-Type", "application/json")],
                body.as_bytes(),
            )
            .await;
        assert_eq!(r.status(), 200, "{}", r.text());
        let j = r.json();
        assert_eq!(j["totalCount"], 2502);
        let s = j["sessions"].as_array().unwrap();
        if s.is_empty() {
            break;
        }
        for x in s {
            let id = x["sessionId"].as_u64().unwrap();
            assert!(id > last_id || last_id == 0 || id == 142);
            last_id = id;
            if let Some(d) = x["duration"].as_str() {
                assert!(d.contains(':'), "{d}");
            }
        }
        n += s.len();
    }
    assert_eq!(n, 2502);
    for body in ["{\"sessionCount\":1001}", "{\"pageIndex\":-1}", "{nope"] {
        let r = sim
            .req(
                "POST",
                "/vendors/ekran/ekranapi/sessions",
                &[EK],
                body.as_bytes(),
            )
            .await;
        assert_eq!(r.status(), 400, "{body}");
    }
}

#[tokio::test]
async fn ekran_auth_token_and_off_switch() {
    let sim = start_default().await;
    let r = sim.get("/vendors/ekran/ekranapi/sessions", &[]).await;
    assert_eq!(r.status(), 401);
    assert_eq!(r.json()["error"], "Unauthorized");
    let r = sim
        .get(
            "/vendors/ekran/ekranapi/sessions",
            &[("Authorization", "Bearer wrong")],
        )
        .await;
    assert_eq!(r.status(), 401);
    let off = start(Config {
        ekran_token: None,
        ..Config::default()
    })
    .await;
    assert_eq!(
        off.get("/vendors/ekran/ekranapi/sessions", &[])
            .await
            .status(),
        200
    );
}

// ---------------------------------------------------------------- all vendors

#[tokio::test]
async fn generated_data_is_reproducible_from_the_seed() {
    let cfg = |seed| Config {
        seed,
        aws_sessions: 40,
        ekran_sessions: 300,
        ..Config::default()
    };
    let a = start(cfg(7)).await;
    let b = start(cfg(7)).await;
    let c = start(cfg(8)).await;
    async fn snapshot(sim: &Sim) -> Vec<String> {
        let aws = sim.aws_token().await;
        let bearer = format!("Bearer {}", aws["access_token"].as_str().unwrap());
        let list = sim
            .get(
                "/vendors/aws/api/v1/sessions",
                &[V, ("Authorization", &bearer)],
            )
            .await;
        let first = list.json()["results"][3]["id"]
            .as_str()
            .unwrap()
            .to_string();
        let log = sim
            .get(
                &format!("/vendors/aws/api/v1/sessions/{first}/log"),
                &[V, ("Authorization", &bearer)],
            )
            .await;
        let m = format!("Bearer {}", sim.m365_token().await);
        let m365 = sim
            .get(
                "/vendors/m365/v7/JobSessions?limit=50",
                &[("Authorization", &m)],
            )
            .await;
        let mid = m365.json()["results"][5]["id"]
            .as_str()
            .unwrap()
            .to_string();
        let items = sim
            .get(
                &format!("/vendors/m365/v7/JobSessions/{mid}/LogItems"),
                &[("Authorization", &m)],
            )
            .await;
        let ek = sim.get("/vendors/ekran/ekranapi/sessions", &[EK]).await;
        let em = sim
            .get(
                "/vendors/em/api/logonSessions",
                &[("X-RestSvcSessionId", EM_SEED_TOKEN)],
            )
            .await;
        [list, log, m365, items, ek, em]
            .iter()
            .map(|r| sim.normalise(r))
            .collect()
    }
    let (sa, sb, sc) = (snapshot(&a).await, snapshot(&b).await, snapshot(&c).await);
    assert_eq!(sa, sb);
    for (x, y) in sa.iter().zip(&sc) {
        assert_ne!(x, y);
    }
}

#[tokio::test]
async fn unknown_paths_get_each_vendors_404_body() {
    let sim = start_default().await;
    let em = sim
        .get("/vendors/em/api/nothing", &[("Accept", "application/json")])
        .await;
    assert_eq!(
        (em.status(), em.json()["StatusCode"].as_u64()),
        (404, Some(404))
    );
    let aws = sim.get("/vendors/aws/api/v1/nothing", &[V]).await;
    assert_eq!(aws.json()["status"], 404);
    let m = sim.get("/vendors/m365/v7/nothing", &[]).await;
    assert!(m.json()["message"].is_string());
    let pam = sim.get("/vendors/pam/api/nothing", &[]).await;
    assert!(pam.json()["odata.error"].is_object());
    let ek = sim.get("/vendors/ekran/ekranapi/nothing", &[]).await;
    assert_eq!(ek.json()["status"], 404);
    let none = sim.get("/vendors/other/x", &[]).await;
    assert_eq!(none.status(), 404);
}
