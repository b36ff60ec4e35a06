//! Times the session list's pure logic on 100 000 synthetic sessions (a measurement, not a
//! test): `cargo run --release --example list_bench`, or `--profile sim` for opt-level 3.

use std::hint::black_box;
use std::time::Instant;

use session_viewer::list::{
    facets, filter_indices, parse_lenient, running_over_time, sort_indices, Column, SearchIndex,
    SortKey,
};
use session_viewer::model::{parse_timestamp, Duration, Session, Status};

const ROWS: usize = 100_000;
const RUNS: usize = 7;
const H: i64 = 3_600_000_000;

fn main() {
    let Some(epoch) = parse_timestamp("1970-01-01T00:00:00Z").ok().flatten() else {
        return;
    };
    let t0 = 1_617_235_200_000_000; // 2021-04-01T00:00:00Z
    let now = t0 + 30 * 24 * H;
    // A small LCG keeps the data the same on every run without a dependency.
    let mut seed = 0x2545_f491_4f6c_dd1d_u64;
    let mut next = move |n: u64| {
        seed = seed
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        (seed >> 33) % n
    };
    let at = |us: i64| Some(epoch.plus(Duration::from_micros(us)));
    let names = [
        "Nightly backup",
        "Hourly copy",
        "Archive",
        "RDP",
        "SSH",
        "Restore",
    ];
    let sessions: Vec<Session> = (0..ROWS)
        .map(|i| {
            let status = Status::ALL[next(8) as usize];
            let start = t0 + next(30 * 24 * 3600) as i64 * 1_000_000;
            let open = next(100) == 0;
            let end = (!open).then(|| start + next(5 * 3600 * 1000) as i64 * 1000);
            Session {
                id: (100_000 + i).to_string(),
                user: (next(50) != 0).then(|| format!(r"DOMAIN\user{}", next(500))),
                host: Some(format!("srv-{:03}.corp.example", next(200))),
                start: at(start),
                end: end.and_then(at),
                reported: None,
                status,
                vendor_status: status.label().into(),
                name: Some(names[next(names.len() as u64) as usize].to_string()),
                log_href: None,
                job: Some(format!("job-{}", next(250))),
                details: Vec::new(),
                source: Default::default(),
            }
        })
        .collect();

    let index = time("SearchIndex::new", || SearchIndex::new(&sessions));
    let usual = time("Usual::build (jobs and each run's usual)", || {
        session_viewer::list::Usual::build(&sessions, now)
    });
    let queries = [
        "",
        // The first keys typed: a word in nearly every row.
        "u",
        "us",
        "user12",
        "user:=domain\\user12",
        "status:failed duration>1h",
        "-status:success start>=2021-04-10 host:srv-1",
        "backup srv-042 -is:open",
        "zzz-no-match",
    ];
    for q in queries {
        let (query, _) = parse_lenient(q);
        let hits = filter_indices(&index, &sessions, &query, None, now, &usual).len();
        time(&format!("filter {q:?} ({hits} hits)"), || {
            filter_indices(&index, &sessions, &query, None, now, &usual)
        });
    }
    let (query, _) = parse_lenient("backup");
    let week = Some((now - 7 * 24 * H, now));
    time("filter \"backup\" in the last 7 days", || {
        filter_indices(&index, &sessions, &query, week, now, &usual)
    });
    time("parse a 6-term query", || {
        parse_lenient("user:jen status:failed duration>1h30m start>=2021-04-01 -is:open x")
    });

    let all: Vec<u32> = (0..ROWS as u32).collect();
    for (column, descending) in [
        (Column::Start, false),
        (Column::Start, true),
        (Column::Duration, true),
        (Column::User, false),
        (Column::Id, false),
    ] {
        let key = SortKey::new(column, descending);
        time(&format!("sort all by {}", key.to_text()), || {
            let mut idx = all.clone();
            sort_indices(&mut idx, &sessions, key, now);
            idx
        });
    }
    time("facets (top 10) over all", || facets(&sessions, &all, 10));
    time("histogram, 200 buckets, 30 days", || {
        running_over_time(&sessions, &all, (t0, now), 200, now)
    });
}

/// Runs `f` a few times and prints the fastest and the median run.
fn time<T>(what: &str, mut f: impl FnMut() -> T) -> T {
    let mut times = Vec::with_capacity(RUNS);
    let mut last = None;
    for _ in 0..RUNS {
        let start = Instant::now();
        let out = black_box(f());
        times.push(start.elapsed().as_secs_f64() * 1e3);
        last = Some(out);
    }
    times.sort_by(f64::total_cmp);
    println!(
        "{what:<55} min {:>8.3} ms   median {:>8.3} ms",
        times[0],
        times[RUNS / 2]
    );
    match last {
        Some(out) => out,
        None => unreachable!("RUNS > 0"),
    }
}
