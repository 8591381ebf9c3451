//! Compile and evaluate at 10, 1,000 and 10,000 rules.
//!
//! The policies are shaped like real ones: one literal tool rule per tool,
//! prefix patterns, per-server rules and every tenth rule with a condition.
//! Each call is decided against every rule (the matching rule is the last
//! one, or no rule matches and the defaults decide), so the numbers are the
//! worst case for a policy of that size.

use std::hint::black_box;

use criterion::{BenchmarkId, Criterion, criterion_group, criterion_main};
use portcullis::{EvalOptions, Policy, Timestamp};

mod policies;

use policies::{SIZES, call, policy_text};

fn compile(c: &mut Criterion) {
    let mut group = c.benchmark_group("compile");
    for n in SIZES {
        let text = policy_text(n);
        group.bench_with_input(BenchmarkId::from_parameter(n), &text, |b, text| {
            // Freeing the compiled policy is not part of compiling it.
            b.iter_with_large_drop(|| Policy::from_yaml(black_box(text)));
        });
        // The peer: only the YAML parser's events for the same text — what
        // a compile built on the parser alone pays before it reads a rule
        // (the engine reads this text with its quick reader of the common
        // YAML subset, and falls back to the parser for anything else).
        group.bench_with_input(BenchmarkId::new("yaml_events_only", n), &text, |b, text| {
            b.iter(|| saphyr_parser::Parser::new_from_str(black_box(text)).count());
        });
    }
    group.finish();
}

fn evaluate(c: &mut Criterion) {
    let now = Timestamp::from_unix_seconds(1_790_000_000);
    let mut no_trace = EvalOptions::new();
    no_trace.trace(false);
    for (label, tool) in [("last_rule", "target_tool"), ("defaults", "read_file")] {
        let mut group = c.benchmark_group(format!("evaluate/{label}"));
        for n in SIZES {
            let Ok(policy) = Policy::from_yaml(&policy_text(n)) else {
                continue;
            };
            let call = call(tool);
            group.bench_with_input(BenchmarkId::new("decision", n), &call, |b, call| {
                b.iter(|| {
                    policy
                        .evaluate_with(black_box(call), now, &no_trace)
                        .decision
                });
            });
            group.bench_with_input(BenchmarkId::new("with_trace", n), &call, |b, call| {
                b.iter(|| policy.evaluate(black_box(call), now).trace.len());
            });
        }
        group.finish();
    }
}

criterion_group!(benches, compile, evaluate);
criterion_main!(benches);
