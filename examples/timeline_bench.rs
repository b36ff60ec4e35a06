//! Times the timeline's analysis on synthetic 50 000-entry logs: summary, gaps, diff, row windows.
//!
//! Run with `cargo run --profile sim --example timeline_bench` (the release profile is tuned for
//! wasm size, not speed). Figures are native; wasm in a browser is typically 1.5–3× slower.

use std::hint::black_box;
use std::time::{Duration as Elapsed, Instant};

use session_viewer::analysis::{diff, gaps, largest_gaps, step_key, summarise, VirtualRows};
use session_viewer::model::{parse_timestamp, Duration, LogEntry, SessionLog, Status};

const ENTRIES: usize = 50_000;
const RUNS: usize = 7;

fn main() {
    let a = synthetic(ENTRIES, 1);
    let b = synthetic(ENTRIES, 2);
    println!("timeline analysis, {ENTRIES} entries, median of {RUNS} runs");

    let now = a.extent().map_or(0, |(_, e)| e);
    report("summarise", || summarise(black_box(&a), now).slowest.len());
    report("gaps", || gaps(black_box(&a)).len());
    let g = gaps(&a);
    report("largest_gaps (10)", || {
        largest_gaps(black_box(&g), 10).len()
    });
    report("step_key (one run)", || {
        a.entries
            .iter()
            .map(|e| step_key(black_box(&e.message)).len())
            .sum::<usize>()
    });
    report("diff (two runs)", || {
        diff(black_box(&a), black_box(&b)).len()
    });
    let rows = VirtualRows::default();
    let windows = 100_000;
    let t = median(|| {
        let mut sum = 0;
        for i in 0..windows {
            let w = rows.window(black_box(i as f64 * 13.7), 800.0, ENTRIES);
            sum += w.end - w.start;
        }
        sum
    });
    println!(
        "{:<22}{:>10.3} µs per window ({windows} windows in {:.2} ms)",
        "virtual rows",
        t.as_secs_f64() * 1e6 / windows as f64,
        t.as_secs_f64() * 1e3
    );
    let rows_ab = diff(&a, &b);
    let paired = rows_ab
        .iter()
        .filter(|r| r.a.is_some() && r.b.is_some())
        .count();
    println!(
        "diff: {} rows, {paired} paired, {} only in A, {} only in B",
        rows_ab.len(),
        rows_ab.iter().filter(|r| r.b.is_none()).count(),
        rows_ab.iter().filter(|r| r.a.is_none()).count()
    );
}

/// Prints the median time of `f`.
fn report<T>(name: &str, mut f: impl FnMut() -> T) {
    let t = median(&mut f);
    println!("{name:<22}{:>10.3} ms", t.as_secs_f64() * 1e3);
}

fn median<T>(mut f: impl FnMut() -> T) -> Elapsed {
    black_box(f());
    let mut times: Vec<Elapsed> = (0..RUNS)
        .map(|_| {
            let t = Instant::now();
            black_box(f());
            t.elapsed()
        })
        .collect();
    times.sort();
    times.get(RUNS / 2).copied().unwrap_or_default()
}

/// A job's log of `n` steps with overlaps, gaps, repeated and numbered messages, some failures;
/// `seed` varies the lengths, drops and adds steps, so that two seeds diff like two runs.
fn synthetic(n: usize, seed: u64) -> SessionLog {
    let base = parse_timestamp("2024-03-01T02:00:00Z")
        .ok()
        .flatten()
        .expect("a valid timestamp");
    let mut state = seed.wrapping_mul(0x9e37_79b9_7f4a_7c15) | 1;
    let mut next = move |m: u64| {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state % m
    };
    let templates = [
        "Processing VM vm-{} (disk {} of 4)",
        "Creating snapshot for volume vol-{}",
        "Copied {} MB of {} MB",
        "Uploading restore point {} to bucket backup-prod",
        "Waiting for worker instance i-{} to start",
        "Job finished at 3/1/2024 2:{}:{} AM",
    ];
    let mut t: i64 = 0;
    let mut entries = Vec::with_capacity(n);
    for i in 0..n {
        let template = templates[(i * 7 + i / 100) % templates.len()];
        let message = if next(100) == 0 {
            // A step only this run has (the seed is in the words, so it is not stripped).
            format!(
                "Retrying after throttling {}",
                ["once", "twice", "thrice"][seed as usize % 3]
            )
        } else {
            template.replacen("{}", &(i % 97).to_string(), 1).replacen(
                "{}",
                &next(1000).to_string(),
                1,
            )
        };
        let length = next(5_000_000) as i64 + if i % 1000 == 0 { 60_000_000 } else { 0 };
        let gap = if next(50) == 0 {
            next(30_000_000) as i64
        } else {
            0
        };
        t += gap;
        let start = base.plus(Duration::from_micros(t));
        let end = base.plus(Duration::from_micros(t + length));
        // Every tenth step overlaps the next ones (a parent step).
        t += if i % 10 == 0 { length / 4 } else { length };
        let status = match next(500) {
            0 => Status::Failed,
            1..=4 => Status::Warning,
            _ => Status::Success,
        };
        entries.push(LogEntry {
            order: i as u64,
            status,
            vendor_status: status.label().to_string(),
            message,
            start: Some(start),
            end: Some(end),
            logged_at: Some(end),
            reported: Some(Duration::from_micros(length / 1000 * 1000)),
            observed: Some(end.since(&start)),
            source: String::new(),
        });
    }
    SessionLog {
        session_id: format!("bench-{seed}"),
        entries,
        skipped: vec![],
    }
}
