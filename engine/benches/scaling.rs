//! How a decision's time grows with the policy, measured so that a shared
//! machine's swings do not decide the answer: the 10-, 1,000- and
//! 10,000-rule policies take turns, a batch of decisions each per round,
//! and each round's ratios to the 10-rule time are taken within the round.
//! Prints a Markdown table of the medians (`cargo bench -p portcullis
//! --bench scaling`); BENCHMARKS.md records it.

mod policies;

use std::hint::black_box;
use std::time::Instant;

use policies::{SIZES, call, policy_text};
use portcullis::{EvalOptions, Policy, Timestamp};

const ROUNDS: usize = 15;
const BATCH: u32 = 50_000;

fn median(values: &mut [f64]) -> f64 {
    values.sort_by(f64::total_cmp);
    values.get(values.len() / 2).copied().unwrap_or(f64::NAN)
}

fn main() {
    let now = Timestamp::from_unix_seconds(1_790_000_000);
    let mut no_trace = EvalOptions::new();
    no_trace.trace(false);
    let policies: Vec<Policy> = SIZES
        .iter()
        .filter_map(|n| Policy::from_yaml(&policy_text(*n)).ok())
        .collect();
    if policies.len() != SIZES.len() {
        eprintln!("a benchmark policy did not compile");
        std::process::exit(1);
    }
    println!("| call | 10 rules | 1,000 rules | 10,000 rules | 1,000 ÷ 10 | 10,000 ÷ 10 |");
    println!("|---|---:|---:|---:|---:|---:|");
    for (label, tool) in [
        ("last rule matches", "target_tool"),
        ("defaults decide", "read_file"),
    ] {
        let call = call(tool);
        // Nanoseconds per decision with one policy, over one batch.
        let time = |policy: &Policy| {
            let start = Instant::now();
            for _ in 0..BATCH {
                black_box(
                    policy
                        .evaluate_with(black_box(&call), now, &no_trace)
                        .risk_score,
                );
            }
            start.elapsed().as_secs_f64() * 1e9 / f64::from(BATCH)
        };
        policies.iter().for_each(|p| {
            time(p);
        });
        let mut times = vec![Vec::new(); SIZES.len()];
        let mut ratios = vec![Vec::new(); SIZES.len()];
        for _ in 0..ROUNDS {
            let round: Vec<f64> = policies.iter().map(time).collect();
            let base = round.first().copied().unwrap_or(f64::NAN);
            for (i, t) in round.iter().enumerate() {
                if let (Some(all), Some(ratio)) = (times.get_mut(i), ratios.get_mut(i)) {
                    all.push(*t);
                    ratio.push(t / base);
                }
            }
        }
        let column =
            |all: &mut Vec<Vec<f64>>, i: usize| all.get_mut(i).map_or(f64::NAN, |v| median(v));
        let (t10, t1k, t10k) = (
            column(&mut times, 0),
            column(&mut times, 1),
            column(&mut times, 2),
        );
        let (r1k, r10k) = (column(&mut ratios, 1), column(&mut ratios, 2));
        println!(
            "| {label} | {:.2} µs | {:.2} µs | {:.2} µs | {r1k:.2}× | {r10k:.2}× |",
            t10 / 1e3,
            t1k / 1e3,
            t10k / 1e3
        );
    }
}
