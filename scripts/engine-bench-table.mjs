// Writes the engine's criterion medians (target/criterion/**/new/estimates.json)
// into BENCHMARKS.md between the bench-engine markers, with the ratios the
// targets are stated in, and the interleaved scaling table that
// `cargo bench --bench scaling` wrote to target/scaling.md (when present).
// Run by scripts/bench.sh after `cargo bench`.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), "..");
const criterion = path.join(root, "target/criterion");
const target = path.join(root, "BENCHMARKS.md");

function median(...id) {
  const file = path.join(criterion, ...id, "new/estimates.json");
  if (!fs.existsSync(file)) return null;
  return JSON.parse(fs.readFileSync(file, "utf8")).median.point_estimate; // ns
}
function time(ns) {
  if (ns == null) return "–";
  if (ns >= 1e6) return `${(ns / 1e6).toFixed(2)} ms`;
  if (ns >= 1e3) return `${(ns / 1e3).toFixed(2)} µs`;
  return `${ns.toFixed(0)} ns`;
}
function ratio(a, b) {
  return a == null || b == null ? "–" : `${(a / b).toFixed(2)}×`;
}

const sizes = [10, 1000, 10000];
const lines = [];
const cpu = os.cpus()[0]?.model ?? "unknown CPU";
lines.push(
  `Measured ${new Date().toISOString().slice(0, 10)} on ${os.cpus().length} × ${cpu}; ` +
    `load average at the end ${os.loadavg()[0].toFixed(1)}. Medians of criterion's samples.`,
  "",
  "**Compile** (`Policy::from_yaml`), against the YAML parser alone on the same text:",
  "",
  "| rules | compile | YAML parser events only | compile ÷ parser | ÷ 10 rules |",
  "|---:|---:|---:|---:|---:|",
);
const compile10 = median("compile", "10");
for (const n of sizes) {
  const c = median("compile", String(n));
  const y = median("compile", "yaml_events_only", String(n));
  lines.push(`| ${n} | ${time(c)} | ${time(y)} | ${ratio(c, y)} | ${ratio(c, compile10)} |`);
}
for (const [group, what] of [
  ["evaluate_last_rule", "the last rule matches (every rule is a candidate until then)"],
  ["evaluate_defaults", "no rule matches, the defaults decide"],
]) {
  lines.push(
    "",
    `**Decide**, ${what}; \`decision\` is \`evaluate_with\` without the trace, \`with_trace\` the default:`,
    "",
    "| rules | decision | ÷ 10 rules | with trace | ÷ 10 rules |",
    "|---:|---:|---:|---:|---:|",
  );
  const d10 = median(group, "decision", "10");
  const t10 = median(group, "with_trace", "10");
  for (const n of sizes) {
    const d = median(group, "decision", String(n));
    const t = median(group, "with_trace", String(n));
    lines.push(`| ${n} | ${time(d)} | ${ratio(d, d10)} | ${time(t)} | ${ratio(t, t10)} |`);
  }
}

const scaling = path.join(root, "target/scaling.md");
if (fs.existsSync(scaling)) {
  lines.push(
    "",
    "**Decide, interleaved** (`cargo bench -p portcullis --bench scaling`, no trace): the three policies take turns, " +
      "50,000 decisions each per round, 15 rounds; medians of the times and of each round's ratios:",
    "",
    ...fs.readFileSync(scaling, "utf8").trim().split("\n"),
  );
}

const start = "<!-- bench-engine:start -->";
const end = "<!-- bench-engine:end -->";
const text = fs.readFileSync(target, "utf8");
const from = text.indexOf(start);
const to = text.indexOf(end);
if (from < 0 || to < from) throw new Error(`${target} has no ${start} … ${end} markers`);
fs.writeFileSync(target, text.slice(0, from + start.length) + "\n" + lines.join("\n") + "\n" + text.slice(to));
console.log(lines.join("\n"));
