#!/usr/bin/env node
// Speed and size of the built package against @cedar-policy/cedar-wasm, in
// one run, on equivalent tool-call policies (bench/policies.mjs):
// per-decision latency (median, p99) at 10 and 1,000 rules, cold start
// (import + compile + first decision in a fresh process), and the .wasm
// size raw and gzip. Prints a markdown report.
// With --compare DIR (a build with `--features marshal-compare`), also
// compares the package's marshalling (the call as JSON text, the verdict as
// fields) with both as JSON text and with serde-wasm-bindgen.
// Usage: node bench/bench.mjs [--pkg DIR] [--compare DIR]
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import { createRequire } from "node:module";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import zlib from "node:zlib";

import { calls, cedarPolicies, cedarRequest, portcullisPolicy } from "./policies.mjs";

const here = path.dirname(fileURLToPath(import.meta.url));
const args = process.argv.slice(2);
const pkgIndex = args.indexOf("--pkg");
const pkg = path.resolve(pkgIndex >= 0 ? args[pkgIndex + 1] : path.join(here, "..", "pkg"));
const compareIndex = args.indexOf("--compare");
const comparePkg = compareIndex >= 0 ? path.resolve(args[compareIndex + 1]) : undefined;
const require = createRequire(import.meta.url);
const cedarPath = require.resolve("@cedar-policy/cedar-wasm/nodejs");
const cedarWasm = path.join(path.dirname(cedarPath), "cedar_wasm_bg.wasm");
const portcullisPath = path.join(pkg, "node", "index.cjs");
const portcullisWasm = path.join(pkg, "node", "portcullis_bg.wasm");
const portcullisWebWasm = path.join(pkg, "web", "portcullis_bg.wasm");

const loadAtStart = os.loadavg()[0];
const { Policy } = require(portcullisPath);
const cedar = require(cedarPath);

function timeEach(decide, inputs, iterations) {
  const samples = new Float64Array(iterations);
  for (let i = 0; i < Math.min(iterations, 2000); i++) decide(inputs[i % inputs.length]);
  for (let i = 0; i < iterations; i++) {
    const input = inputs[i % inputs.length];
    const start = process.hrtime.bigint();
    decide(input);
    samples[i] = Number(process.hrtime.bigint() - start) / 1000;
  }
  samples.sort();
  const at = (q) => samples[Math.min(samples.length - 1, Math.floor(q * samples.length))];
  return { median: at(0.5), p99: at(0.99), n: iterations };
}

// The web/workerd build (opt-level z), run in Node through initSync.
const web = await import(path.join(pkg, "web", "portcullis.js"));
web.initSync({ module: fs.readFileSync(portcullisWebWasm) });

function latency(rules) {
  const callList = calls(rules);
  const policy = Policy.fromYaml(portcullisPolicy(rules));
  const id = `bench-${rules}`;
  const parsed = cedar.preparsePolicySet(id, { staticPolicies: cedarPolicies(rules) });
  if (parsed.type !== "success") throw new Error(`cedar did not parse: ${JSON.stringify(parsed.errors)}`);
  const requests = callList.map((c) => cedarRequest(c, id));
  // Both must decide the same way, or the comparison means nothing.
  let agree = 0;
  callList.forEach((call, i) => {
    const v = policy.evaluate(call);
    const answer = cedar.statefulIsAuthorized(requests[i]);
    if (answer.type !== "success") throw new Error(`cedar failed: ${JSON.stringify(answer.errors)}`);
    const reasons = answer.response.diagnostics.reason;
    const expected =
      answer.response.decision === "deny" ? "deny" : reasons.some((r) => r.startsWith("approve_")) ? "require_approval" : "allow";
    if (v.decision === expected) agree++;
  });
  if (agree !== callList.length) throw new Error(`only ${agree} of ${callList.length} decisions agree at ${rules} rules`);
  const cedarIterations = rules >= 1000 ? 400 : 4000;
  const result = {
    rules,
    portcullis: timeEach((c) => policy.evaluate(c), callList, 20000),
    portcullisNoTrace: timeEach((c) => policy.evaluate(c, { trace: false }), callList, 20000),
    cedar: timeEach((r) => cedar.statefulIsAuthorized(r), requests, cedarIterations),
  };
  const webPolicy = web.Policy.fromYaml(portcullisPolicy(rules));
  result.web = timeEach((c) => webPolicy.evaluate(c), callList, rules >= 1000 ? 5000 : 20000);
  result.webNoTrace = timeEach((c) => webPolicy.evaluate(c, { trace: false }), callList, 20000);
  webPolicy.free();
  policy.free();
  return result;
}

// Timed from just before the package is imported: loading this benchmark's
// own policy generator (policies.mjs) is not part of anyone's cold start.
const coldScript = (kind) => `
const { calls, cedarPolicies, cedarRequest, portcullisPolicy } = await import(${JSON.stringify(path.join(here, "policies.mjs"))});
const call = calls(10)[0];
const start = performance.now();
let decision;
if (${JSON.stringify(kind)} === "portcullis") {
  const { Policy } = await import(${JSON.stringify(path.join(pkg, "node", "index.mjs"))});
  decision = Policy.fromYaml(portcullisPolicy(10)).evaluate(call).decision;
} else if (${JSON.stringify(kind)} === "portcullis-web") {
  const fs = await import("node:fs");
  const { initSync, Policy } = await import(${JSON.stringify(path.join(pkg, "web", "portcullis.js"))});
  initSync({ module: fs.readFileSync(${JSON.stringify(portcullisWebWasm)}) });
  decision = Policy.fromYaml(portcullisPolicy(10)).evaluate(call).decision;
} else {
  const cedar = await import(${JSON.stringify(cedarPath)});
  cedar.preparsePolicySet("cold", { staticPolicies: cedarPolicies(10) });
  decision = cedar.statefulIsAuthorized(cedarRequest(call, "cold")).response.decision;
}
process.stdout.write(JSON.stringify({ ms: performance.now() - start, decision }));
`;

function coldStart(kind, runs = 7) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "portcullis-cold-"));
  const file = path.join(dir, `${kind}.mjs`);
  fs.writeFileSync(file, coldScript(kind));
  const times = [];
  for (let i = 0; i < runs; i++) {
    times.push(JSON.parse(execFileSync(process.execPath, [file], { encoding: "utf8" })).ms);
  }
  fs.rmSync(dir, { recursive: true, force: true });
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)];
}

function size(file) {
  const bytes = fs.readFileSync(file);
  return { raw: bytes.length, gzip: zlib.gzipSync(bytes, { level: 9 }).length };
}

const us = (x) => (x >= 1000 ? `${(x / 1000).toFixed(2)} ms` : `${x.toFixed(1)} µs`);
const kb = (n) => `${(n / 1024).toFixed(0)} KiB`;
const ratio = (a, b) => `${(a / b).toFixed(1)}×`;

function marshalling() {
  const { Policy: Compare } = require(path.join(comparePkg, "node", "index.cjs"));
  // The glue's hidden testing hook: verdicts as fields (the package) or as JSON.
  const { __portcullisVerdictFields: verdictFields } = require(path.join(comparePkg, "node", "portcullis.js"));
  const policy = Compare.fromYaml(portcullisPolicy(10));
  const small = calls(10);
  const large = small.map((c) => ({
    ...c,
    arguments: { ...c.arguments, rows: Array.from({ length: 50 }, (_, i) => ({ id: i, name: `row ${i}`, tags: ["a", "b"] })) },
  }));
  const rows = [];
  for (const [label, list] of [["small call (2 arguments)", small], ["large call (50-row argument)", large]]) {
    // Interleaved rounds; the best median of each, so a busy moment hurts neither more.
    const best = { fields: Infinity, json: Infinity, serde: Infinity };
    for (let round = 0; round < 3; round++) {
      // All read the clock on the JS side, as `evaluate(call)` does.
      best.fields = Math.min(best.fields, timeEach((c) => policy.evaluate(c), list, 10000).median);
      verdictFields(false);
      best.json = Math.min(best.json, timeEach((c) => policy.evaluate(c), list, 10000).median);
      verdictFields(true);
      best.serde = Math.min(best.serde, timeEach((c) => policy.evaluateSerde(c, Date.now()), list, 10000).median);
    }
    rows.push({ label, ...best });
  }
  policy.free();
  return rows;
}

const rows = [10, 1000].map(latency);
const cold = { portcullis: coldStart("portcullis"), web: coldStart("portcullis-web"), cedar: coldStart("cedar") };
const sizes = { portcullis: size(portcullisWasm), web: size(portcullisWebWasm), cedar: size(cedarWasm) };
const cedarVersion = JSON.parse(fs.readFileSync(path.join(path.dirname(cedarPath), "..", "package.json"), "utf8")).version;

const out = [];
out.push(
  `Measured ${new Date().toISOString().slice(0, 10)} on ${os.cpus().length} × ${os.cpus()[0]?.model?.trim()}, ` +
    `Node ${process.version}, @cedar-policy/cedar-wasm ${cedarVersion}; load average at the start ${loadAtStart.toFixed(1)}.`,
);
out.push("");
out.push("| rules | portcullis median | p99 | portcullis, `trace: false` median | p99 | Cedar median | p99 | Cedar ÷ portcullis (median) |");
out.push("|---:|---:|---:|---:|---:|---:|---:|---:|");
for (const r of rows) {
  out.push(
    `| ${r.rules} | ${us(r.portcullis.median)} | ${us(r.portcullis.p99)} | ${us(r.portcullisNoTrace.median)} | ${us(r.portcullisNoTrace.p99)} | ` +
      `${us(r.cedar.median)} | ${us(r.cedar.p99)} | ${ratio(r.cedar.median, r.portcullis.median)} |`,
  );
}
out.push("");
out.push("The web/bundler/workerd build (opt-level z, same engine), run in Node through `initSync`:");
out.push("");
out.push("| rules | median | p99 | `trace: false` median | p99 | Cedar ÷ web build (median, `trace: false`) |");
out.push("|---:|---:|---:|---:|---:|---:|");
for (const r of rows) {
  out.push(
    `| ${r.rules} | ${us(r.web.median)} | ${us(r.web.p99)} | ${us(r.webNoTrace.median)} | ${us(r.webNoTrace.p99)} | ` +
      `${ratio(r.cedar.median, r.webNoTrace.median)} |`,
  );
}
out.push("");
out.push("| | portcullis, Node build | portcullis, web/workerd build | Cedar | Cedar ÷ Node build | Cedar ÷ web build |");
out.push("|---|---:|---:|---:|---:|---:|");
out.push(
  `| cold start (import + compile 10 rules + first decision, fresh process, median of 7) | ${cold.portcullis.toFixed(1)} ms | ` +
    `${cold.web.toFixed(1)} ms | ${cold.cedar.toFixed(1)} ms | ${ratio(cold.cedar, cold.portcullis)} | ${ratio(cold.cedar, cold.web)} |`,
);
out.push(
  `| .wasm raw | ${kb(sizes.portcullis.raw)} | ${kb(sizes.web.raw)} | ${kb(sizes.cedar.raw)} | ` +
    `${ratio(sizes.cedar.raw, sizes.portcullis.raw)} | ${ratio(sizes.cedar.raw, sizes.web.raw)} |`,
);
out.push(
  `| .wasm gzip -9 | ${kb(sizes.portcullis.gzip)} | ${kb(sizes.web.gzip)} | ${kb(sizes.cedar.gzip)} | ` +
    `${ratio(sizes.cedar.gzip, sizes.portcullis.gzip)} | ${ratio(sizes.cedar.gzip, sizes.web.gzip)} |`,
);
out.push("");
out.push(
  `Exact: portcullis Node wasm ${sizes.portcullis.raw} bytes (${sizes.portcullis.gzip} gzip), web/workerd wasm ` +
    `${sizes.web.raw} bytes (${sizes.web.gzip} gzip), Cedar ${sizes.cedar.raw} bytes (${sizes.cedar.gzip} gzip).`,
);
if (comparePkg) {
  out.push("");
  out.push("Marshalling of `evaluate` (same build, 10 rules, median per decision, best of 3 interleaved rounds):");
  out.push("");
  out.push(
    "| call | call as JSON text, verdict as fields (the package) | both as JSON text | serde-wasm-bindgen both ways | " +
      "JSON ÷ the package | serde-wasm-bindgen ÷ the package |",
  );
  out.push("|---|---:|---:|---:|---:|---:|");
  for (const r of marshalling()) {
    out.push(
      `| ${r.label} | ${us(r.fields)} | ${us(r.json)} | ${us(r.serde)} | ${(r.json / r.fields).toFixed(2)} | ${(r.serde / r.fields).toFixed(2)} |`,
    );
  }
}
console.log(out.join("\n"));
