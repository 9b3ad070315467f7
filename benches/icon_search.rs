//! Icon library search timings: `cargo bench --bench icon_search --features ssr`.
//!
//! Each query is run many times over the whole library and the median, 99th percentile and
//! minimum are printed (a timed unit test would be flaky on shared machines; figures are not).

use insignia::icons::library;
use std::hint::black_box;
use std::time::{Duration, Instant};

const RUNS: usize = 2_000;

fn main() {
    let started = Instant::now();
    let size = library::len();
    println!("index built in {:?}: {size} icons", started.elapsed());
    println!("{:<28} {:>8} {:>10} {:>10} {:>10}", "query", "matches", "median", "p99", "min");
    for query in ["star", "arrow", "arrow down", "circle check", "", "zzz-no-match"] {
        let mut times: Vec<Duration> = (0..RUNS)
            .map(|_| {
                let t = Instant::now();
                black_box(library::search(black_box(query), 0));
                t.elapsed()
            })
            .collect();
        times.sort();
        let total = library::search(query, 0).total;
        println!(
            "{:<28} {:>8} {:>10.1?} {:>10.1?} {:>10.1?}",
            format!("{query:?}"),
            total,
            times[RUNS / 2],
            times[RUNS * 99 / 100],
            times[0]
        );
    }
}
