//! Members-only page rendering: `cargo bench --bench page_render --features ssr`.
//!
//! Every read of a page renders its Markdown and sanitizes the HTML (nothing is cached, so a
//! sanitizer fix reaches every page at once). This prints what that costs for a short page, a
//! typical one and the longest the editor accepts, as median / p99 / min, and the throughput
//! of the longest as a ratio to the short one, measured in the same run.

use insignia::domain::page::PageContent;
use insignia::member_pages::markdown::render;
use std::hint::black_box;
use std::time::{Duration, Instant};

/// A page of `sections` sections, each a heading, a paragraph with emphasis and a link, a list
/// and a small table: the mix owners write.
fn page(sections: usize) -> String {
    let section =
        "## Rota for the week\n\nThe **night shift** starts at ten; see [the schedule](https://example.com/rota) \
                   and *bring your badge*.\n\n- Monday: Ann\n- Tuesday: Bob\n- Wednesday: <em>Cy</em>\n\n\
                   | Day | Who |\n|---|---|\n| Mon | Ann |\n| Tue | Bob |\n\n";
    let mut text = section.repeat(sections);
    text.truncate(PageContent::MAX_CHARS);
    text
}

fn time(markdown: &str, runs: usize) -> Vec<Duration> {
    let mut times: Vec<Duration> = (0..runs)
        .map(|_| {
            let t = Instant::now();
            black_box(render(black_box(markdown)));
            t.elapsed()
        })
        .collect();
    times.sort();
    times
}

fn main() {
    println!("{:<34} {:>8} {:>10} {:>10} {:>10}", "page", "chars", "median", "p99", "min");
    let mut medians = Vec::new();
    for (label, sections, runs) in [
        ("short (1 section)", 1, 5_000),
        ("typical (10 sections)", 10, 1_000),
        ("longest the editor takes", 1_000, 100),
    ] {
        let markdown = page(sections);
        let times = time(&markdown, runs);
        let median = times[runs / 2];
        medians.push((label, markdown.chars().count(), median));
        println!(
            "{:<34} {:>8} {:>10.1?} {:>10.1?} {:>10.1?}",
            label,
            markdown.chars().count(),
            median,
            times[runs * 99 / 100],
            times[0]
        );
    }
    let (_, short_chars, short) = medians[0];
    let (_, long_chars, long) = medians[2];
    let per_char = |chars: usize, d: Duration| d.as_secs_f64() / chars as f64;
    println!(
        "cost per character, longest ÷ short: {:.2} (1.00 = linear in the page's length)",
        per_char(long_chars, long) / per_char(short_chars, short)
    );
}
