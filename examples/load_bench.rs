//! Times reading a saved payload into the model (what `sv:load` measures in the browser), natively:
//! `cargo run --release --example load_bench -- FILE [RUNS]`. A measurement, not a test; the file
//! is any payload the app opens (`bench/list.mjs`'s generator writes the 100 000-session one).

use std::time::Instant;

use session_viewer::import::read_payload;

fn main() {
    let mut args = std::env::args().skip(1);
    let Some(path) = args.next() else {
        eprintln!("usage: load_bench FILE [RUNS]");
        return;
    };
    let runs: usize = args.next().and_then(|r| r.parse().ok()).unwrap_or(15);
    let bytes = match std::fs::read(&path) {
        Ok(b) => b,
        Err(e) => {
            eprintln!("{path}: {e}");
            return;
        }
    };
    let mut times = Vec::with_capacity(runs);
    for _ in 0..runs {
        let copy = bytes.clone();
        let t = Instant::now();
        let payload = read_payload(copy);
        times.push(t.elapsed().as_secs_f64() * 1e3);
        if let Err(e) = payload {
            eprintln!("{e}");
            return;
        }
        drop(payload);
    }
    times.sort_by(f64::total_cmp);
    let median = times.get(runs / 2).copied().unwrap_or(f64::NAN);
    let best = times.first().copied().unwrap_or(f64::NAN);
    println!("read_payload: median {median:.1} ms, best {best:.1} ms ({runs} runs)");
}
