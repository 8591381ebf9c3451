// Writes playground/BENCHMARKS.md from a bench.mjs report and the built files.
//   node bench-report.mjs DIST BENCH_JSON
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';

const [dist, report] = process.argv.slice(2);
const bench = JSON.parse(readFileSync(report, 'utf8'));
const files = readdirSync(dist).filter((f) => /\.(wasm|js|css|html)$/.test(f));
const size = (f) => {
  const bytes = readFileSync(join(dist, f));
  return { raw: statSync(join(dist, f)).size, gzip: gzipSync(bytes, { level: 9 }).length };
};
const kb = (n) => `${(n / 1024).toFixed(0)} KiB`;
const ms = (n) => `${n.toFixed(1)} ms`;
const kind = (f) => (f.endsWith('.wasm') ? 'wasm' : f.endsWith('.js') ? 'JS glue' : f.endsWith('.css') ? 'CSS' : 'HTML');
const rows = files.map((f) => ({ f, ...size(f) }));
const total = rows.reduce((a, r) => ({ raw: a.raw + r.raw, gzip: a.gzip + r.gzip }), { raw: 0, gzip: 0 });
const line = (name, r) => `| ${name} | ${ms(r.work.median)} | ${ms(r.work.p95)} | ${ms(r.frame.median)} | ${ms(r.frame.p95)} |`;

console.log(`# Playground benchmarks

Written by \`scripts/bench-playground.sh\` on ${new Date().toISOString().slice(0, 10)}
(${cpus().length} cores, ${cpus()[0]?.model ?? 'unknown CPU'}; ${bench.userAgent.match(/HeadlessChrome\/[\d.]+/)?.[0] ?? 'Chromium'};
load average ${loadavg()[0].toFixed(2)} when written: other work on the machine inflates the numbers).

## A keystroke

The release build in headless Chromium, with a 200-rule policy (globs,
lists, numeric and regex conditions, time windows, server trust levels) and
50 scenarios spread over its rules (${bench.rules.toLowerCase()}; ${bench.scenarios.toLowerCase()}).
Each keystroke is a real edit in the editor (\`execCommand\`, which fires
\`input\` as typing does); the page then recompiles the policy, re-runs the 50
scenarios and the form's call, and updates the verdict, the scenario table
and the editor's highlighting. *Work* is the time until all of that is in
the DOM; *frame* is the time until the next frame is drawn. ${bench.comment.work.n} keystrokes each.

| edit | work, median | work, p95 | frame, median | frame, p95 |
|---|---|---|---|---|
${line('a character typed and deleted in a comment', bench.comment)}
${line('\`approve\` ↔ \`block\` in a rule (a scenario flips)', bench.flip)}

The page's own breakdown of the last keystroke (its status bar):
${bench.flip.timings}.

## Size of the release build

\`opt-level\` and \`wasm-opt\` as in \`[profile.playground]\` and \`index.html\`; gzip at level 9.

| file | raw | gzip |
|---|---|---|
${rows.map((r) => `| ${kind(r.f)} (\`${r.f.replace(/-[0-9a-f]{16}/, '')}\`) | ${kb(r.raw)} | ${kb(r.gzip)} |`).join('\n')}
| total | ${kb(total.raw)} | ${kb(total.gzip)} |
`);
