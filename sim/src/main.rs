//! `sv-sim`: parses flags, optionally writes the app config or benchmarks generation, then serves.

use std::sync::Arc;
use std::time::Instant;

use session_viewer_sim::{config, serve_app, write_app_config, App};

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() {
    let started = Instant::now();
    let cfg = match config::parse_args(std::env::args().skip(1)) {
        Ok(c) => c,
        Err(msg) => {
            // `--help` arrives here too: print it on stdout and succeed.
            if msg == config::HELP {
                print!("{msg}");
                return;
            }
            eprintln!("sv-sim: {msg}");
            std::process::exit(2);
        }
    };
    if let Some(path) = &cfg.write_config {
        if let Err(e) = write_app_config(&cfg, path) {
            eprintln!("sv-sim: cannot write {}: {e}", path.display());
            std::process::exit(1);
        }
    }
    let bench = cfg.bench_generate;
    let port = cfg.port;
    let (app, times) = App::new_timed(cfg);
    if bench {
        let c = &app.cfg;
        println!(
            "generated in: em {:?} ({} sessions), aws {:?} ({} sessions), m365 {:?} ({} sessions), ekran {:?} ({} sessions)",
            times.em,
            c.em_sessions + 1,
            times.aws,
            app.aws.sessions.len(),
            times.m365,
            app.m365.sessions.len(),
            times.ekran,
            app.ekran.sessions.len()
        );
        return;
    }
    match serve_app(Arc::new(app), port).await {
        Ok((addr, handle)) => {
            println!("listening on http://{addr}");
            eprintln!("sv-sim: ready in {:?}", started.elapsed());
            handle.wait().await;
        }
        Err(e) => {
            eprintln!("sv-sim: cannot bind 127.0.0.1:{port}: {e}");
            std::process::exit(1);
        }
    }
}
