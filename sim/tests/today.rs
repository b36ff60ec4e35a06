//! What today's servers serve and refuse: M365 v6–v8 (v3 only for an old server), VBA releases
//! and MFA, PAM's current path with pamrequests/pamroles, EM backup sessions and the BOM flag.

mod support;

use session_viewer_sim::vendors::aws::Release;
use session_viewer_sim::Config;
use support::{start, start_default, Sim};

async fn m365_bearer(sim: &Sim, v: &str) -> String {
    let r = sim
        .post_form(
            &format!("/vendors/m365/{v}/token"),
            &[],
            "grant_type=password&username=admin&password=admin&disable_antiforgery_token=true",
        )
        .await;
    assert_eq!(r.status(), 200, "{}", r.text());
    format!("Bearer {}", r.json()["access_token"].as_str().unwrap())
}

#[tokio::test]
async fn m365_v3_is_a_404_unless_the_legacy_flag_asks_for_the_old_server() {
    let today = start_default().await;
    let r = today
        .post_form(
            "/vendors/m365/v3/Token",
            &[],
            "grant_type=password&username=admin&password=admin",
        )
        .await;
    assert_eq!(r.status(), 404);
    let old = start(Config {
        m365_legacy_v3: true,
        ..Config::default()
    })
    .await;
    let b = m365_bearer(&old, "v3").await;
    let items = old
        .get(
            "/vendors/m365/v3/JobSessions/be376069-2865-4156-a9bc-825cef7d687e/LogItems",
            &[("Authorization", &b)],
        )
        .await
        .json();
    assert_eq!(
        items["results"][0]["title"],
        "[Success] Job started at 4/4/2017 12:07:21 AM"
    );
}

#[tokio::test]
async fn m365_v8_log_items_have_type_and_message_and_no_title() {
    let sim = start_default().await;
    let seed = "/JobSessions/be376069-2865-4156-a9bc-825cef7d687e/LogItems";
    let b8 = m365_bearer(&sim, "v8").await;
    let v8 = sim
        .get(
            &format!("/vendors/m365/v8{seed}"),
            &[("Authorization", &b8)],
        )
        .await
        .json();
    let first = &v8["results"][0];
    assert!(first.get("title").is_none(), "{first}");
    assert_eq!(first["type"], "Success");
    assert_eq!(first["message"], "Job started at 4/4/2017 12:07:21 AM");
    assert_eq!(first["usn"], 1);
    let b7 = m365_bearer(&sim, "v7").await;
    let v7 = sim
        .get(
            &format!("/vendors/m365/v7{seed}"),
            &[("Authorization", &b7)],
        )
        .await
        .json();
    assert_eq!(
        v7["results"][0]["title"],
        "[Success] Job started at 4/4/2017 12:07:21 AM"
    );
    // v8 filters by type and orders newest first on request.
    let big = "/vendors/m365/v8/JobSessions/0b1e55ed-0000-4000-8000-00000000365b/LogItems";
    let warn = sim
        .get(
            &format!("{big}?type=Warning&limit=10000"),
            &[("Authorization", &b8)],
        )
        .await
        .json();
    let w = warn["results"].as_array().unwrap();
    assert!(!w.is_empty() && w.iter().all(|i| i["type"] == "Warning"));
    let desc = sim
        .get(
            &format!("{big}?orderAsc=false&limit=2"),
            &[("Authorization", &b8)],
        )
        .await
        .json();
    assert!(desc["results"][0]["usn"].as_u64() > desc["results"][1]["usn"].as_u64());
    let bad = sim
        .get(&format!("{big}?type=Bogus"), &[("Authorization", &b8)])
        .await;
    assert_eq!(bad.status(), 400);
}

#[tokio::test]
async fn m365_job_sessions_carry_job_fields_and_honour_filters() {
    let sim = start_default().await;
    let b = m365_bearer(&sim, "v8").await;
    let h = [("Authorization", b.as_str())];
    let jobs = sim.get("/vendors/m365/v8/Jobs", &h).await.json();
    let jobs = jobs["results"].as_array().unwrap();
    assert_eq!(jobs.len(), 4);
    assert_eq!(jobs[0]["name"], "Exchange mailboxes hourly");
    assert_eq!(jobs[0]["lastStatus"], "Running");
    let job = jobs[1]["id"].as_str().unwrap();
    let mine = sim
        .get(
            &format!("/vendors/m365/v8/JobSessions?jobId={job}&limit=10000"),
            &h,
        )
        .await
        .json();
    let mine = mine["results"].as_array().unwrap();
    assert!(mine.len() >= 30);
    assert!(mine
        .iter()
        .all(|s| s["jobId"] == job && s["jobType"] == "Backup"));
    let failed = sim
        .get("/vendors/m365/v8/JobSessions?status=Failed&limit=10000", &h)
        .await
        .json();
    let failed = failed["results"].as_array().unwrap();
    assert!(
        !failed.is_empty()
            && failed
                .iter()
                .all(|s| s["status"] == "Failed" && s["details"] != "")
    );
    let all = sim
        .get("/vendors/m365/v8/JobSessions?limit=10000", &h)
        .await
        .json();
    let retry = all["results"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["retryCount"] == 1)
        .unwrap();
    assert!(failed.iter().any(|f| f["id"] == retry["mainSessionId"]));
    let recent = sim
        .get(
            "/vendors/m365/v8/JobSessions?endTimeLowerBound=2025-08-31T12:00:00Z&limit=10000",
            &h,
        )
        .await
        .json();
    let n = recent["results"].as_array().unwrap().len();
    assert!(n > 20 && n < 100, "{n}");
    assert_eq!(
        sim.get("/vendors/m365/v8/JobSessions?endTimeLowerBound=soon", &h)
            .await
            .status(),
        400
    );
    // v6 documents neither jobId on sessions nor the jobId filter.
    let b6 = m365_bearer(&sim, "v6").await;
    let v6 = sim
        .get(
            "/vendors/m365/v6/JobSessions?limit=1",
            &[("Authorization", &b6)],
        )
        .await
        .json();
    assert!(v6["results"][0].get("jobId").is_none());
    assert!(v6["results"][0]["statistics"]["processingRateBytesPS"].is_u64());
}

#[tokio::test]
async fn m365_logout_refuses_the_token_afterwards() {
    let sim = start_default().await;
    for (v, code) in [("v7", 200), ("v8", 204)] {
        let b = m365_bearer(&sim, v).await;
        let h = [("Authorization", b.as_str())];
        let out = sim
            .req("POST", &format!("/vendors/m365/{v}/token/logout"), &h, b"")
            .await;
        assert_eq!(out.status(), code, "{v}");
        assert_eq!(
            sim.get(&format!("/vendors/m365/{v}/Jobs"), &h)
                .await
                .status(),
            401
        );
    }
    let b = m365_bearer(&sim, "v6").await;
    let out = sim
        .req(
            "POST",
            "/vendors/m365/v6/token/logout",
            &[("Authorization", &b)],
            b"",
        )
        .await;
    assert_eq!(out.status(), 404, "v6 has no logout");
}

#[tokio::test]
async fn aws_release_refuses_revisions_outside_its_range() {
    for (release, ok, refused) in [
        ("7", "1.5-rev0", "1.7-rev0"),
        ("8", "1.6-rev0", "1.0-rev0"),
        ("9", "1.7-rev0", "1.5-rev0"),
        ("all", "1.0-rev0", "1.8-rev0"),
    ] {
        let sim = start(Config {
            aws_release: Release::parse(release).unwrap(),
            ..Config::default()
        })
        .await;
        let form = "grant_type=password&username=admin&password=admin";
        let good = sim
            .post_form("/vendors/aws/api/v1/token", &[("x-api-version", ok)], form)
            .await;
        assert_eq!(good.status(), 200, "{release} {ok}: {}", good.text());
        let bad = sim
            .post_form(
                "/vendors/aws/api/v1/token",
                &[("x-api-version", refused)],
                form,
            )
            .await;
        assert_eq!(bad.status(), 400, "{release} {refused}");
        assert_eq!(bad.json()["errorCode"], "UnexpectedContent");
    }
}

#[tokio::test]
async fn aws_session_name_only_from_1_7_and_types_filter() {
    let sim = start(Config {
        aws_release: Release::parse("all").unwrap(),
        ..Config::default()
    })
    .await;
    for (v, named) in [("1.0-rev0", false), ("1.7-rev0", true)] {
        let tok = sim
            .post_form(
                "/vendors/aws/api/v1/token",
                &[("x-api-version", v)],
                "grant_type=password&username=admin&password=admin",
            )
            .await
            .json();
        let b = format!("Bearer {}", tok["access_token"].as_str().unwrap());
        let h = [("x-api-version", v), ("Authorization", b.as_str())];
        let page = sim
            .get("/vendors/aws/api/v1/sessions?Types=FLRTask&Limit=-1", &h)
            .await
            .json();
        let all = page["results"].as_array().unwrap();
        assert!(!all.is_empty() && all.iter().all(|s| s["type"] == "FLRTask"));
        let s = &all[0];
        assert_eq!(s.get("name").is_some(), named, "{v}: {s}");
        assert_eq!(s.get("extendedSessionType").is_some(), named, "{v}");
        assert!(s["usn"].is_u64());
        assert!(s["_links"].is_array());
        assert_eq!(
            sim.get("/vendors/aws/api/v1/sessions?Types=Nope", &h)
                .await
                .status(),
            400
        );
        // `PolicyId`: the runs of one policy (named by each session's `policy` link).
        let every = sim
            .get("/vendors/aws/api/v1/sessions?Limit=-1", &h)
            .await
            .json();
        let policy_of = |s: &serde_json::Value| {
            s["_links"].as_array().and_then(|l| {
                l.iter()
                    .find(|l| l["rel"] == "policy")
                    .and_then(|l| l["href"].as_str())
                    .and_then(|h| h.rsplit('/').next())
                    .map(str::to_string)
            })
        };
        let every = every["results"].as_array().unwrap();
        let id = every.iter().find_map(policy_of).unwrap();
        let runs = every
            .iter()
            .filter(|s| policy_of(s).as_deref() == Some(id.as_str()))
            .count();
        let page = sim
            .get(
                &format!("/vendors/aws/api/v1/sessions?PolicyId={id}&Limit=-1"),
                &h,
            )
            .await
            .json();
        let of_it = page["results"].as_array().unwrap();
        assert!(runs > 0 && runs < every.len(), "{runs} of {}", every.len());
        assert_eq!(of_it.len(), runs, "{v}");
        assert!(of_it
            .iter()
            .all(|s| policy_of(s).as_deref() == Some(id.as_str())));
        assert_eq!(
            sim.get("/vendors/aws/api/v1/sessions?PolicyId=nope", &h)
                .await
                .status(),
            400
        );
    }
}

#[tokio::test]
async fn aws_mfa_account_needs_the_one_time_code() {
    let sim = start_default().await;
    let v = ("x-api-version", "1.7-rev0");
    let first = sim
        .post_form(
            "/vendors/aws/api/v1/token",
            &[v],
            "grant_type=password&username=mfa&password=mfa",
        )
        .await
        .json();
    assert_eq!(first["mfa_enabled"], true);
    assert!(first.get("access_token").is_none());
    let mt = first["mfa_token"].as_str().unwrap();
    let wrong = sim
        .post_form(
            "/vendors/aws/api/v1/token",
            &[v],
            &format!("grant_type=mfa&mfa_token={mt}&mfa_code=000000"),
        )
        .await;
    assert_eq!(wrong.status(), 401);
    let done = sim
        .post_form(
            "/vendors/aws/api/v1/token",
            &[v],
            &format!("grant_type=mfa&mfa_token={mt}&mfa_code=123456"),
        )
        .await;
    assert_eq!(done.status(), 200, "{}", done.text());
    let j = done.json();
    assert_eq!(j["mfa_enabled"], false);
    let b = format!("Bearer {}", j["access_token"].as_str().unwrap());
    assert_eq!(
        sim.get(
            "/vendors/aws/api/v1/sessions?Limit=1",
            &[v, ("Authorization", &b)]
        )
        .await
        .status(),
        200
    );
}

#[tokio::test]
async fn pam_old_path_is_a_404_and_requests_filter_on_creation_time() {
    let sim = start_default().await;
    let c = ("Cookie", "PamSimAuth=1");
    assert_eq!(
        sim.get("/vendors/pam/api/session/sessioninfo", &[c])
            .await
            .status(),
        404
    );
    let all = sim
        .get("/vendors/pam/api/pamresources/pamrequests", &[c])
        .await
        .json();
    let all = all["value"].as_array().unwrap();
    assert!(all.len() > 30);
    for k in [
        "RequestId",
        "CreatorID",
        "Justification",
        "CreationTime",
        "ExpirationTime",
        "RoleId",
        "RequestedTTL",
        "RequestedTime",
        "RequestStatus",
    ] {
        assert!(all[0].get(k).is_some(), "{k}");
    }
    let q = "/vendors/pam/api/pamresources/pamrequests?$filter=CreationTime%20gt%20datetime'2025-08-25T00:00:00'";
    let recent = sim.get(q, &[c]).await.json();
    let recent = recent["value"].as_array().unwrap();
    assert!(!recent.is_empty() && recent.len() < all.len());
    assert!(recent
        .iter()
        .all(|r| r["CreationTime"].as_str().unwrap() > "2025-08-25"));
    let bad = sim
        .get(
            "/vendors/pam/api/pamresources/pamrequests?$filter=Owner%20eq%20'x'",
            &[c],
        )
        .await;
    assert_eq!(bad.status(), 400);
    assert!(bad.json()["odata.error"]["message"]["value"].is_string());
    let roles = sim
        .get("/vendors/pam/api/pamresources/pamroles", &[c])
        .await
        .json();
    let roles = roles["value"].as_array().unwrap();
    assert!(all
        .iter()
        .all(|r| roles.iter().any(|o| o["RoleId"] == r["RoleId"])));
    assert_eq!(roles[0]["DisplayName"], "Allow AD Access");
}

#[tokio::test]
async fn em_backup_sessions_and_task_sessions_in_json_xml_and_with_bom() {
    let sim = start(Config {
        em_json_bom: true,
        ..Config::default()
    })
    .await;
    let tok = "NDRjZmJkYmUtNWE5NS00MTU2LTg4NjctOTFmMDY5YjdjMmNj";
    let json = [("X-RestSvcSessionId", tok), ("Accept", "application/json")];
    let r = sim
        .get("/vendors/em/api/backupSessions?format=Entity", &json)
        .await;
    assert_eq!(r.status(), 200);
    assert!(r.body.starts_with(b"\xEF\xBB\xBF"), "BOM requested");
    let j: serde_json::Value = serde_json::from_slice(&r.body[3..]).unwrap();
    let list = j["BackupJobSessions"].as_array().unwrap();
    assert_eq!(list.len(), 6 * 14);
    assert_eq!(list[0]["JobName"], "dr-eu-west-1");
    assert_eq!(list[0]["State"], "Working");
    assert!(list[0]["EndTimeUTC"].is_null());
    let uid = list[1]["UID"].as_str().unwrap();
    assert!(uid.starts_with("urn:veeam:BackupJobSession:"));
    let tasks = sim
        .get(
            &format!("/vendors/em/api/backupSessions/{uid}/taskSessions"),
            &json,
        )
        .await;
    let t: serde_json::Value = serde_json::from_slice(&tasks.body[3..]).unwrap();
    let t = t["BackupTaskSessions"].as_array().unwrap();
    assert!(
        !t.is_empty()
            && t[0]["VmDisplayName"]
                .as_str()
                .unwrap()
                .starts_with(list[1]["JobName"].as_str().unwrap())
    );
    let xml = sim
        .get(
            "/vendors/em/api/backupSessions?format=Entity",
            &[("X-RestSvcSessionId", tok)],
        )
        .await;
    assert!(xml.text().contains("<BackupJobSession Href="));
    assert!(!xml.body.starts_with(b"\xEF\xBB\xBF"), "XML gets no BOM");
    let plain = start_default().await;
    let r = plain.get("/vendors/em/api/backupSessions", &json).await;
    assert_eq!(r.body.first(), Some(&b'{'));
    assert_eq!(
        plain
            .get("/vendors/em/api/backupSessions", &[])
            .await
            .status(),
        401
    );
}
