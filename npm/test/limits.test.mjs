// Every documented limit (engine/src/limits.rs, `Limits::default()`) through
// the npm package: a policy over a limit is a PolicyError whose diagnostic
// says which limit, with its line and column; a call over a limit is a deny
// with code `limit_exceeded` whose reason names the limit. Each test checks
// the value just inside the limit too, and that the same Policy (and the
// same wasm instance) answers a good call exactly as before.
import assert from "node:assert/strict";
import { test } from "node:test";

import { Policy, PolicyError } from "portcullis";

import { NOON, QUICKSTART } from "./support/package.mjs";

const MiB = 1024 * 1024;
const policy = Policy.fromYaml(QUICKSTART);
const good = { tool: "delete_file", server: "dev-filesystem", arguments: { path: "/tmp/a" } };
const baseline = policy.evaluate(good, { now: NOON });

function stillWorks() {
  assert.deepEqual(policy.evaluate(good, { now: NOON }), baseline, "the same Policy answers as before");
  const fresh = Policy.fromYaml(QUICKSTART);
  assert.deepEqual(fresh.evaluate(good, { now: NOON }), baseline, "a new Policy on the same instance too");
  fresh.free();
}

/** Loading `source` fails with a limit diagnostic at `line`:`column`. */
function refused(source, says, line, column) {
  let error;
  try {
    Policy.fromYaml(source).free();
  } catch (e) {
    error = e;
  }
  assert.ok(error instanceof PolicyError, `a PolicyError, got ${error}`);
  const limit = error.diagnostics.find((d) => d.kind === "limit");
  assert.ok(limit, `a limit diagnostic among ${JSON.stringify(error.diagnostics)}`);
  assert.match(limit.message, says);
  assert.deepEqual([limit.line, limit.column], [line, column], limit.message);
  assert.match(error.message, says, "the error's message names the limit too");
  stillWorks();
  return error;
}

const loads = (source) => {
  const loaded = Policy.fromYaml(source);
  loaded.free();
};

const rule = (name, match, extra = "") => `  - name: ${name}\n    match: ${match}\n${extra}    approval: auto\n`;

test("policy text: 4 MiB, counted in bytes (a text under the limit in characters but over it in UTF-8)", () => {
  const padding = (n) => `version: "1"\nrules: []\n# ${"é".repeat(n)}\n`;
  refused(padding(2.1 * MiB), /bytes, more than the limit of 4194304 bytes/, 1, 1);
  loads(padding(2 * MiB - 64)); // 4 MiB minus a little: loads
  stillWorks();
});

test("YAML alias expansion: a billion-laughs document is refused fast, without a memory blow-up", () => {
  // Nine levels of nine aliases each: 9^9 (387 million) strings once expanded.
  const names = "abcdefghij";
  const lines = [`a: &a ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]`];
  for (let i = 1; i < names.length; i++) {
    lines.push(`${names[i]}: &${names[i]} [${Array(9).fill(`*${names[i - 1]}`).join(", ")}]`);
  }
  const rssBefore = process.memoryUsage().rss;
  const started = performance.now();
  const error = refused(`${lines.join("\n")}\n`, /expands to more than 1000000 nodes/, 7, 8);
  const ms = performance.now() - started;
  const grew = (process.memoryUsage().rss - rssBefore) / MiB;
  // About 1.6 s on a shared 2-core machine; a real expansion would take
  // minutes and gigabytes.
  assert.ok(ms < 10_000, `refused in ${ms.toFixed(0)} ms`);
  assert.ok(grew < 512, `memory grew by ${grew.toFixed(0)} MiB`);
  assert.equal(error.diagnostics.length, 1);
});

test("YAML nesting: 64 levels", () => {
  const nested = (depth) => `version: "1"\nrules: []\nx: ${"[".repeat(depth)}${"]".repeat(depth)}\n`;
  refused(nested(65), /nested deeper than 64 levels/, 3, 67);
  // One level is the document's own mapping: 63 more still read (the only
  // error is the unknown key).
  assert.throws(() => Policy.fromYaml(nested(63)), (e) => e instanceof PolicyError && e.diagnostics.every((d) => d.kind === "unknown_key"));
  stillWorks();
});

test("rules: 20,000", () => {
  const policyOf = (count) => {
    let source = 'version: "1"\nrules:\n';
    for (let i = 0; i < count; i++) source += rule(`r${i}`, `{ type: t${i} }`);
    return source;
  };
  refused(policyOf(20_001), /has 20001 rules, more than the limit of 20000/, 3, 3);
  const full = Policy.fromYaml(policyOf(20_000));
  assert.equal(full.ruleNames.length, 20_000);
  assert.equal(full.evaluate({ tool: "t19999" }, { now: NOON }).rule, "r19999");
  full.free();
  stillWorks();
});

test("glob patterns: 1,024 bytes", () => {
  const glob = (n) => `version: "1"\nrules:\n${rule("g", `{ type: "${"a".repeat(n)}" }`)}`;
  refused(glob(1025), /pattern is 1025 bytes, more than the limit of 1024/, 4, 20);
  loads(glob(1024));
  stillWorks();
});

test("regular expressions: 1,024 bytes of pattern, 1 MiB compiled", () => {
  const regex = (pattern) =>
    `version: "1"\nrules:\n${rule("m", "{ type: query }", `    conditions:\n      param_matches: { sql: '${pattern}' }\n`)}`;
  refused(regex("a".repeat(1025)), /regular expression is 1025 bytes, more than the limit of 1024/, 6, 29);
  loads(regex("a".repeat(1024)));
  // 17 bytes of pattern, a million instructions once compiled: a limit.
  assert.throws(
    () => Policy.fromYaml(regex("(?:a{1000}){1000}")),
    (e) => {
      assert.ok(e instanceof PolicyError);
      const [d] = e.diagnostics;
      assert.equal(d.kind, "limit");
      assert.match(d.message, /compiled regex exceeded size limit/);
      assert.deepEqual([d.line, d.column], [6, 29]);
      return true;
    },
  );
  loads(regex("(?:a{100}){100}"));
  stillWorks();
});

/** The verdict on `call` is a limit deny whose reason matches `says`. */
function overLimit(verdict, says) {
  assert.equal(verdict.decision, "deny", verdict.reason);
  assert.equal(verdict.code, "limit_exceeded", verdict.reason);
  assert.equal(verdict.riskScore, 100);
  assert.match(verdict.reason, says);
  stillWorks();
}

// `depth` objects nested inside `arguments` (which itself does not count).
function nested(depth) {
  const call = { tool: "read_file", server: "dev", arguments: {} };
  let node = call.arguments;
  for (let i = 0; i < depth; i++) node = node.next = {};
  return call;
}

test("argument nesting: 32 levels", () => {
  assert.equal(policy.evaluate(nested(32), { now: NOON }).decision, "allow");
  overLimit(policy.evaluate(nested(33), { now: NOON }), /nested deeper than 32 levels/);
  overLimit(policy.evaluateJson(JSON.stringify(nested(33)), { now: NOON }), /nested deeper than 32 levels/);
});

test("argument nesting past the JSON reader's 128 levels is a limit too, not invalid JSON", () => {
  overLimit(policy.evaluate(nested(200), { now: NOON }), /nested deeper than 128 levels/);
  overLimit(policy.evaluate(nested(200), { now: new Date(NOON) }), /nested deeper than 128 levels/);
  overLimit(policy.evaluateJson(JSON.stringify(nested(200)), { now: NOON }), /nested deeper than 128 levels/);
  const message = { jsonrpc: "2.0", id: 1, method: "tools/call", params: { name: "read_file", arguments: nested(200).arguments } };
  const [only] = policy.evaluateMessage(JSON.stringify(message), { now: NOON, server: "dev" });
  overLimit(only.verdict, /nested deeper than 128 levels/);
});

test("argument values: 10,000", () => {
  const call = (n) => ({ tool: "read_file", server: "dev", arguments: { ids: Array.from({ length: n - 1 }, (_, i) => i) } });
  // The list itself is a value: n - 1 items and the list make n.
  assert.equal(policy.evaluate(call(10_000), { now: NOON }).decision, "allow");
  overLimit(policy.evaluate(call(10_001), { now: NOON }), /more than 10000 values/);
});

test("message size: 4 MiB of JSON, in characters and in bytes, for objects, JSON text and JSON-RPC", () => {
  const ascii = { tool: "read_file", arguments: { blob: "x".repeat(4 * MiB) } };
  const twoByte = { tool: "read_file", arguments: { blob: "é".repeat(2.1 * MiB) } }; // 2.1 M characters, 4.2 MiB
  const limit = /more than the limit of 4194304 bytes/;
  for (const call of [ascii, twoByte]) {
    overLimit(policy.evaluate(call, { now: NOON }), limit);
    overLimit(policy.evaluateJson(JSON.stringify(call), { now: NOON }), limit);
    const message = { jsonrpc: "2.0", id: 1, method: "tools/call", params: { name: call.tool, arguments: call.arguments } };
    for (const given of [message, JSON.stringify(message)]) {
      const results = policy.evaluateMessage(given, { now: NOON });
      assert.equal(results.length, 1);
      assert.equal(results[0].kind, "invalid");
      overLimit(results[0].verdict, limit);
    }
  }
  const under = { tool: "read_file", server: "dev", arguments: { blob: "x".repeat(4 * MiB - 200) } };
  assert.equal(policy.evaluate(under, { now: NOON }).code, "rule_allow");
});

test("inspected text: 1 MiB (a longer command, SQL, path or URL is denied, not partly read)", () => {
  const command = (n) => ({ tool: "run_command", server: "dev", arguments: { command: `ls ${"x".repeat(n - 3)}` } });
  assert.notEqual(policy.evaluate(command(MiB), { now: NOON }).code, "limit_exceeded");
  overLimit(policy.evaluate(command(MiB + 1), { now: NOON }), /`command` is 1048577 bytes, more than the 1048576 bytes that can be inspected/);
});

test("JSON-RPC batch: 1,000 messages", () => {
  const batch = (n) => Array.from({ length: n }, (_, i) => ({ jsonrpc: "2.0", id: i, method: "tools/call", params: { name: "read_file" } }));
  const full = policy.evaluateMessage(batch(1000), { server: "dev", now: NOON });
  assert.equal(full.length, 1000);
  assert.ok(full.every((r) => r.verdict.decision === "allow"));
  for (const given of [batch(1001), JSON.stringify(batch(1001))]) {
    const [only, ...rest] = policy.evaluateMessage(given, { server: "dev", now: NOON });
    assert.deepEqual(rest, [], "one result for the whole batch: none of it is let through");
    assert.equal(only.kind, "invalid");
    assert.equal(only.verdict.decision, "deny");
    assert.equal(only.verdict.code, "limit_exceeded");
    assert.match(only.verdict.reason, /1001 messages, more than the limit of 1000/);
    stillWorks();
  }
});

test("resources per call: 64", () => {
  const call = (n) => ({ tool: "read_file", server: "dev", arguments: { paths: Array.from({ length: n }, (_, i) => `/tmp/f${i}`) } });
  assert.equal(policy.evaluate(call(64), { now: NOON }).decision, "allow");
  overLimit(policy.evaluate(call(65), { now: NOON }), /touches 65 resources, more than the 64 that are checked/);
});

test("tool and server names: 1,024 bytes", () => {
  assert.notEqual(policy.evaluate({ tool: "r".repeat(1024) }, { now: NOON }).code, "limit_exceeded");
  overLimit(policy.evaluate({ tool: "r".repeat(1025) }, { now: NOON }), /name is longer than 1024 bytes/);
  overLimit(policy.evaluate({ tool: "read_file", server: "s".repeat(1025) }, { now: NOON }), /name is longer than 1024 bytes/);
});

test("every limit in a row, then the same Policy still answers as before", () => {
  for (let i = 0; i < 50; i++) {
    policy.evaluate(nested(40), { now: NOON });
    policy.evaluate({ tool: "read_file", arguments: { paths: Array.from({ length: 100 }, (_, j) => `/p${j}`) } }, { now: NOON });
    assert.throws(() => Policy.fromYaml(`x: ${"[".repeat(100)}`), PolicyError);
  }
  stillWorks();
});
