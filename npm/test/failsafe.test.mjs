// A Rust panic inside the wasm (on wasm32 it aborts: the call traps with a
// `WebAssembly.RuntimeError`) never reaches the caller of a decision: the
// call is a deny with code `internal_error`, loaders throw an EngineError,
// the instance is replaced by a fresh one, and live Policy and Suite objects
// recompile on it and answer exactly as before. The panic is real: the
// shipped wasm's hidden testing hook `__portcullisPanicAfter(n)` makes the
// n-th next call into the engine panic, and everything else here is the
// package as users get it.
import assert from "node:assert/strict";
import { createRequire } from "node:module";
import path from "node:path";
import { test } from "node:test";
import v8 from "node:v8";
import vm from "node:vm";

import { EngineError, Policy, PolicyError, Suite } from "portcullis";

import { NOON, QUICKSTART, pkgDir } from "./support/package.mjs";

const require = createRequire(import.meta.url);
// The glue module the package's entries use (the same file, so the same module).
const { __portcullisPanicAfter: panicAfter } = require(path.join(pkgDir, "node", "portcullis.js"));
const fromRequire = require("portcullis");

const policy = Policy.fromYaml(QUICKSTART);
const good = { tool: "delete_file", server: "dev-filesystem", arguments: { path: "/tmp/a" } };
const allowed = { tool: "read_file", server: "dev-filesystem" };
const baseline = policy.evaluate(good, { now: NOON });
const engineDeny = policy.evaluate(null);

function stillWorks(p = policy) {
  assert.deepEqual(p.evaluate(good, { now: NOON }), baseline, "the same Policy answers as before");
  assert.equal(p.evaluate(allowed, { now: NOON }).decision, "allow");
}

function isInternalDeny(verdict) {
  assert.equal(verdict.decision, "deny");
  assert.equal(verdict.code, "internal_error");
  assert.equal(verdict.riskScore, 100);
  assert.equal(verdict.riskLevel, "critical");
  assert.equal(verdict.rule, null);
  assert.match(verdict.reason, /^Denied: the engine hit an internal error .*fails closed/);
  assert.deepEqual(Object.keys(verdict), Object.keys(engineDeny), "the shape of the engine's own denies");
  assert.deepEqual({ ...verdict, code: engineDeny.code, reason: engineDeny.reason }, engineDeny);
}

function isEngineError(error) {
  assert.ok(error instanceof EngineError, `an EngineError, got ${error}`);
  assert.ok(!(error instanceof PolicyError));
  assert.ok(error.cause instanceof WebAssembly.RuntimeError, `caused by a trap, got ${error.cause}`);
  assert.match(error.message, /internal error .*instance was replaced/);
  return true;
}

test("a trap in evaluate is a deny with code internal_error; the same Policy then answers as before", () => {
  panicAfter(1);
  isInternalDeny(policy.evaluate(good, { now: NOON }));
  stillWorks();
  panicAfter(1);
  isInternalDeny(policy.evaluate(allowed, { now: NOON })); // a call that would be allowed: denied
  stillWorks();
});

test("a trap in evaluateJson and evaluateMessage fails closed too", () => {
  panicAfter(1);
  isInternalDeny(policy.evaluateJson(JSON.stringify(allowed), { now: NOON }));
  stillWorks();
  const batch = [1, 2].map((id) => ({ jsonrpc: "2.0", id, method: "tools/call", params: { name: "read_file" } }));
  panicAfter(1);
  const results = policy.evaluateMessage(batch, { server: "dev-filesystem", now: NOON });
  assert.equal(results.length, 1);
  assert.equal(results[0].kind, "invalid");
  isInternalDeny(results[0].verdict);
  assert.match(results[0].note, /not evaluated: the engine hit an internal error/);
  assert.deepEqual(
    policy.evaluateMessage(batch, { server: "dev-filesystem", now: NOON }).map((r) => r.verdict.decision),
    ["allow", "allow"],
  );
  stillWorks();
});

test("a trap in a loader throws an EngineError (not a PolicyError); loading again works", () => {
  panicAfter(1);
  assert.throws(() => Policy.fromYaml(QUICKSTART), isEngineError);
  stillWorks(Policy.fromYaml(QUICKSTART));
  panicAfter(1);
  assert.throws(() => Policy.check(QUICKSTART), isEngineError);
  assert.deepEqual(Policy.check(QUICKSTART).errors, []);
  panicAfter(1);
  assert.throws(() => Suite.fromYaml("cases: []"), isEngineError);
  assert.equal(Suite.fromYaml("name: s\ncases: []").name, "s");
  // Load errors are still PolicyErrors after a trap.
  assert.throws(() => Policy.fromYaml("rules: ["), PolicyError);
  stillWorks();
});

test("every live Policy recompiles on the fresh instance; freed ones stay freed", () => {
  const others = Array.from({ length: 5 }, () => Policy.fromYaml(QUICKSTART));
  const freed = Policy.fromYaml(QUICKSTART);
  freed.free();
  panicAfter(1);
  isInternalDeny(policy.evaluate(good, { now: NOON }));
  for (const other of others) stillWorks(other);
  assert.deepEqual(others[0].ruleNames, policy.ruleNames);
  assert.deepEqual(others[0].warnings, policy.warnings);
  assert.throws(() => freed.evaluate(good), /freed/);
  for (const other of others) other.free();
  stillWorks();
});

test("a trap while recompiling on the fresh instance is a deny too, and the next call works", () => {
  panicAfter(1);
  isInternalDeny(policy.evaluate(good, { now: NOON }));
  panicAfter(1); // the recompile (the first call into the fresh instance) traps
  isInternalDeny(policy.evaluate(good, { now: NOON }));
  panicAfter(2); // the recompile works, the evaluation traps
  isInternalDeny(policy.evaluate(good, { now: NOON }));
  stillWorks();
});

test("getters try once more on a fresh instance", () => {
  panicAfter(1);
  assert.deepEqual(policy.ruleNames, ["mcp_read", "mcp_list", "mcp_write", "mcp_delete", "prod_fs_block"]);
  const suite = Suite.fromYaml("name: named\ncases: []");
  panicAfter(1);
  assert.equal(suite.name, "named");
  stillWorks();
});

const SUITE = `name: s
policy_file: p.yaml
cases:
  - name: read
    call: { tool: read_file, server: dev }
    expect: { decision: allow }
`;

test("a trap in Suite.run or runAgainst is a failed case, never a pass; the suite then runs", () => {
  const suite = Suite.fromYaml(SUITE);
  panicAfter(1);
  const failed = suite.run(() => QUICKSTART);
  assert.equal(failed.name, "s");
  assert.deepEqual(failed.cases.map((c) => c.passed), [false]);
  assert.match(failed.cases[0].failures[0], /internal error/);
  assert.deepEqual(suite.run(() => QUICKSTART).cases.map((c) => c.passed), [true]);
  panicAfter(1);
  assert.deepEqual(suite.runAgainst(policy).cases.map((c) => c.passed), [false]);
  assert.deepEqual(suite.runAgainst(policy).cases.map((c) => c.passed), [true]);
  stillWorks();
});

test("a trap in a call nested inside another (a suite's loader compiling a policy) fails both", () => {
  const suite = Suite.fromYaml(SUITE);
  let seen;
  panicAfter(2); // 1: suite.run, 2: the fromYaml inside the loader
  const report = suite.run(() => {
    try {
      Policy.fromYaml(QUICKSTART);
    } catch (error) {
      seen = error;
    }
    return QUICKSTART;
  });
  assert.ok(seen instanceof EngineError);
  assert.deepEqual(report.cases.map((c) => c.passed), [false], "the outer call's result is not trusted");
  assert.deepEqual(suite.run(() => QUICKSTART).cases.map((c) => c.passed), [true]);
  stillWorks();
});

test("require and import share the instance and the recovery", () => {
  const viaRequire = fromRequire.Policy.fromYaml(QUICKSTART);
  panicAfter(1);
  isInternalDeny(viaRequire.evaluate(good, { now: NOON }));
  stillWorks(viaRequire);
  stillWorks();
  assert.equal(fromRequire.EngineError, EngineError);
});

test("objects of a replaced instance collected later free nothing in the fresh one", async () => {
  v8.setFlagsFromString("--expose-gc");
  const gc = vm.runInNewContext("gc");
  for (let round = 0; round < 3; round++) {
    for (let i = 0; i < 200; i++) Policy.fromYaml(QUICKSTART).evaluate(allowed, { now: NOON });
    panicAfter(1);
    isInternalDeny(policy.evaluate(good, { now: NOON }));
    for (let i = 0; i < 200; i++) Policy.fromYaml(QUICKSTART);
    gc();
    await new Promise((resolve) => setTimeout(resolve, 20));
    gc();
    await new Promise((resolve) => setTimeout(resolve, 20));
    stillWorks();
  }
});

test("a hundred traps in a row leave the package working", () => {
  for (let i = 0; i < 100; i++) {
    panicAfter(1);
    isInternalDeny(policy.evaluate(good, { now: NOON }));
  }
  stillWorks();
  const fresh = Policy.fromYaml(QUICKSTART);
  stillWorks(fresh);
  fresh.free();
});

test("a build that cannot make a fresh instance (bundler) fails closed for good after a trap", async () => {
  // In a worker thread: its own copy of the glue, wrapped as the bundler
  // entry wraps its own (reinstantiate returns false).
  const { Worker } = await import("node:worker_threads");
  const code = `
    const { parentPort, workerData } = require("node:worker_threads");
    const glue = require(workerData.pkg + "/node/portcullis.js");
    const { failsafe } = require(workerData.pkg + "/node/failsafe.js");
    const { EngineError } = require(workerData.pkg + "/node/errors.js");
    const { Policy } = failsafe({ Policy: glue.Policy, Suite: glue.Suite, reinstantiate: () => false });
    const p = Policy.fromYaml(workerData.policy);
    const call = { tool: "read_file", server: "dev" };
    const before = p.evaluate(call).decision;
    glue.__portcullisPanicAfter(1);
    const trapped = p.evaluate(call);
    const after = p.evaluate(call);
    let loader;
    try { Policy.fromYaml(workerData.policy); } catch (e) { loader = e instanceof EngineError && e.message; }
    parentPort.postMessage({ before, trapped: [trapped.code, trapped.reason], after: [after.code, after.reason], loader });
  `;
  const result = await new Promise((resolve, reject) => {
    const worker = new Worker(code, { eval: true, workerData: { pkg: pkgDir, policy: QUICKSTART } });
    worker.once("message", resolve);
    worker.once("error", reject);
  });
  assert.equal(result.before, "allow");
  assert.equal(result.trapped[0], "internal_error");
  assert.equal(result.after[0], "internal_error");
  assert.match(result.after[1], /cannot start a fresh instance, so every call is denied from now on/);
  assert.match(result.loader, /cannot start a fresh instance/);
  stillWorks();
});
