//! The job history the generated data tells for each vendor with jobs (VBA policies, M365 jobs,
//! EM backup jobs), read back over HTTP as the app reads it: a steady job whose newest finished
//! run is slow because one step took the extra time, and a job whose latest runs failed in a row.

mod support;

use session_viewer_sim::clock::{parse_timestamp, TICKS_PER_MIN};
use session_viewer_sim::vendors::shared::{FAILED_IN_A_ROW, SLOW_RUN_MIN, USUAL_RUN_MIN};
use support::start_default;

/// Minutes from `start` to `end` (timestamps as the vendor writes them), rounded down.
fn minutes(start: &serde_json::Value, end: &serde_json::Value) -> i64 {
    let t = |v: &serde_json::Value| parse_timestamp(v.as_str().unwrap()).unwrap();
    (t(end) - t(start)) / TICKS_PER_MIN
}

/// The steady job's runs' minutes, newest first: the newest slow, the others usual.
fn assert_steady(what: &str, newest_first: &[i64]) {
    let (slow, usual) = newest_first.split_first().unwrap();
    assert_eq!(*slow, SLOW_RUN_MIN, "{what}: the slow run");
    assert!(
        usual.len() >= 3,
        "{what}: enough runs to have a usual: {usual:?}"
    );
    assert!(
        usual
            .iter()
            .all(|m| (USUAL_RUN_MIN - 1..=USUAL_RUN_MIN + 1).contains(m)),
        "{what}: the usual runs: {usual:?}"
    );
}

#[tokio::test]
async fn em_jobs_have_a_slow_run_with_a_slower_step_and_a_failure_streak() {
    let sim = start_default().await;
    let tok = "NDRjZmJkYmUtNWE5NS00MTU2LTg4NjctOTFmMDY5YjdjMmNj";
    let h = [("X-RestSvcSessionId", tok), ("Accept", "application/json")];
    let r = sim
        .get("/vendors/em/api/backupSessions?format=Entity", &h)
        .await;
    let list = r.json()["BackupJobSessions"].as_array().unwrap().clone();
    // Newest first, as EM lists them.
    let of = |name: &str| -> Vec<serde_json::Value> {
        list.iter()
            .filter(|s| s["JobName"] == name)
            .cloned()
            .collect()
    };
    let steady = of("prod-ec2-daily");
    let uids: std::collections::BTreeSet<_> =
        steady.iter().map(|s| s["JobUid"].to_string()).collect();
    assert_eq!(uids.len(), 1, "one job key");
    let mins: Vec<i64> = steady
        .iter()
        .map(|s| minutes(&s["CreationTimeUTC"], &s["EndTimeUTC"]))
        .collect();
    assert_steady("EM", &mins);
    assert!(steady.iter().all(|s| s["Result"] == "Success"));

    // The slow run's database task took the extra time; its other tasks their usual 8 min.
    let tasks = |run: &serde_json::Value| {
        let uid = run["UID"].as_str().unwrap().to_string();
        let sim = &sim;
        async move {
            let r = sim
                .get(
                    &format!("/vendors/em/api/backupSessions/{uid}/taskSessions"),
                    &h,
                )
                .await;
            r.json()["BackupTaskSessions"]
                .as_array()
                .unwrap()
                .iter()
                .map(|t| {
                    (
                        t["VmDisplayName"].as_str().unwrap().to_string(),
                        minutes(&t["CreationTimeUTC"], &t["EndTimeUTC"]),
                    )
                })
                .collect::<Vec<_>>()
        }
    };
    let slow = tasks(&steady[0]).await;
    let usual = tasks(&steady[1]).await;
    let db = |t: &[(String, i64)]| {
        t.iter()
            .find(|(vm, _)| vm == "prod-ec2-daily-db")
            .unwrap()
            .1
    };
    assert_eq!(db(&slow), SLOW_RUN_MIN);
    assert!(
        (USUAL_RUN_MIN - 1..=USUAL_RUN_MIN + 1).contains(&db(&usual)),
        "{usual:?}"
    );
    for t in [&slow, &usual] {
        assert!(t.len() >= 2, "{t:?}");
        assert!(
            t.iter()
                .filter(|(vm, _)| !vm.ends_with("-db"))
                .all(|(_, m)| *m == 8),
            "{t:?}"
        );
    }

    // The failing job: its latest runs failed, the one before did not.
    let failing = of("rds-hourly");
    let results: Vec<&str> = failing
        .iter()
        .map(|s| s["Result"].as_str().unwrap())
        .collect();
    let streak = results.iter().take_while(|r| **r == "Failed").count();
    assert_eq!(streak as i64, FAILED_IN_A_ROW, "{results:?}");
}

#[tokio::test]
async fn m365_jobs_have_a_slow_run_with_a_slower_step_and_a_failure_streak() {
    let sim = start_default().await;
    let bearer = format!("Bearer {}", sim.m365_token().await);
    let h = [("Authorization", bearer.as_str())];
    let jobs = sim.get("/vendors/m365/v8/Jobs", &h).await.json();
    let jobs = jobs
        .as_array()
        .or(jobs["results"].as_array())
        .unwrap()
        .clone();
    let id_of = |name: &str| {
        jobs.iter()
            .find(|j| j["name"] == name)
            .map(|j| j["id"].as_str().unwrap().to_string())
            .unwrap()
    };
    let all = sim
        .get("/vendors/m365/v8/JobSessions?limit=10000", &h)
        .await
        .json()["results"]
        .as_array()
        .unwrap()
        .clone();
    let runs_of = |id: String| {
        let mut runs: Vec<serde_json::Value> = all
            .iter()
            .filter(|s| s["jobId"] == id.as_str())
            .cloned()
            .collect();
        runs.sort_by_key(|s| {
            std::cmp::Reverse(parse_timestamp(s["creationTime"].as_str().unwrap()))
        });
        runs
    };
    let steady = runs_of(id_of("OneDrive daily"));
    let mins: Vec<i64> = steady
        .iter()
        .map(|s| minutes(&s["creationTime"], &s["endTime"]))
        .collect();
    assert_steady("M365", &mins);

    // The slow run's items: spaced as usual, the last OneDrive taking the extra time.
    let items = |run: &serde_json::Value| {
        let id = run["id"].as_str().unwrap().to_string();
        let sim = &sim;
        async move {
            sim.get(
                &format!("/vendors/m365/v8/JobSessions/{id}/LogItems?limit=10000"),
                &h,
            )
            .await
            .json()["results"]
                .as_array()
                .unwrap()
                .iter()
                .map(|i| {
                    (
                        i["message"].as_str().unwrap().to_string(),
                        minutes(&i["creationTime"], &i["endTime"]),
                    )
                })
                .collect::<Vec<_>>()
        }
    };
    let processing = |items: &[(String, i64)]| -> i64 {
        items
            .iter()
            .filter(|(m, _)| m.starts_with("Processing OneDrive"))
            .map(|(_, d)| d)
            .sum()
    };
    let others = |items: &[(String, i64)]| -> i64 {
        items
            .iter()
            .filter(|(m, _)| !m.starts_with("Processing OneDrive"))
            .map(|(_, d)| d)
            .sum()
    };
    let slow = items(&steady[0]).await;
    let usual = items(&steady[1]).await;
    assert!(
        processing(&slow) >= processing(&usual) + (SLOW_RUN_MIN - USUAL_RUN_MIN) - 2,
        "processing got slower: {} against {}",
        processing(&slow),
        processing(&usual)
    );
    assert!(
        others(&slow) <= others(&usual) + 2,
        "the other steps did not: {slow:?}"
    );

    // The failing job: its latest runs (and their retries) failed.
    let failing = runs_of(id_of("SharePoint daily"));
    let streak = failing
        .iter()
        .take_while(|s| s["status"] == "Failed")
        .count();
    assert!(streak as i64 >= FAILED_IN_A_ROW, "{streak}");
}

#[tokio::test]
async fn vba_policies_have_a_slow_run_with_a_slower_step_and_a_failure_streak() {
    let sim = start_default().await;
    let tok = sim.aws_token().await;
    let bearer = format!("Bearer {}", tok["access_token"].as_str().unwrap());
    let h = [
        ("x-api-version", "1.7-rev0"),
        ("Authorization", bearer.as_str()),
    ];
    let all = sim
        .get("/vendors/aws/api/v1/sessions?Offset=0&Limit=1000", &h)
        .await
        .json()["results"]
        .as_array()
        .unwrap()
        .clone();
    let policy = |s: &serde_json::Value| -> Option<String> {
        s["_links"]
            .as_array()?
            .iter()
            .find(|l| l["rel"] == "policy")
            .map(|l| l["href"].as_str().unwrap().to_string())
    };
    // Every policy session links its policy; no other session does.
    for s in &all {
        assert_eq!(policy(s).is_some(), s["type"] == "Policy", "{s}");
    }
    // Newest first, finished runs only, of the policy with this name.
    let finished = |name: &str| -> Vec<serde_json::Value> {
        let runs: Vec<serde_json::Value> = all
            .iter()
            .filter(|s| s["name"] == name && s["status"] != "Running")
            .cloned()
            .collect();
        let keys: std::collections::BTreeSet<_> = runs.iter().map(policy).collect();
        assert_eq!(keys.len(), 1, "{name}: one policy {keys:?}");
        runs
    };
    let steady = finished("Backup policy 'prod-ec2-daily'");
    let mins: Vec<i64> = steady
        .iter()
        .map(|s| minutes(&s["executionStartTime"], &s["executionStopTime"]))
        .collect();
    assert_steady("VBA", &mins);

    // The database step took the extra time; the others their usual 3 minutes.
    let log = |run: &serde_json::Value| {
        let id = run["id"].as_str().unwrap().to_string();
        let sim = &sim;
        async move {
            sim.get(&format!("/vendors/aws/api/v1/sessions/{id}/log"), &h)
                .await
                .json()["log"]
                .as_array()
                .unwrap()
                .iter()
                .map(|i| {
                    (
                        i["message"].as_str().unwrap().to_string(),
                        i["executionDuration"].as_i64().unwrap() / 60_000,
                    )
                })
                .collect::<Vec<_>>()
        }
    };
    let slow = log(&steady[0]).await;
    let usual = log(&steady[1]).await;
    let step = |l: &[(String, i64)], m: &str| l.iter().find(|(x, _)| x == m).unwrap().1;
    assert_eq!(step(&slow, "Processing db-prod-eu."), SLOW_RUN_MIN - 9);
    assert!(
        (USUAL_RUN_MIN - 10..=USUAL_RUN_MIN - 8).contains(&step(&usual, "Processing db-prod-eu."))
    );
    for l in [&slow, &usual] {
        assert_eq!(step(l, "Processing web-01."), 3);
        assert_eq!(step(l, "Processing efs-share-01."), 3);
    }

    let failing = finished("Snapshot policy 'rds-hourly'");
    let streak = failing
        .iter()
        .take_while(|s| s["status"] == "Failed")
        .count();
    assert_eq!(streak as i64, FAILED_IN_A_ROW);
    assert!(failing.len() > streak, "the streak has a start");
}
