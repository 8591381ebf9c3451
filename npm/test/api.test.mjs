// The JS API of the built package: loading, checking, deciding, messages,
// suites, memory, and the one error convention (only loaders throw).
import assert from "node:assert/strict";
import { createRequire } from "node:module";
import { test } from "node:test";

import { Policy, PolicyError, Suite, SuiteError } from "portcullis";

import { NOON, QUICKSTART } from "./support/package.mjs";

const require = createRequire(import.meta.url);

test("import and require share one instance, so classes and errors are the same", () => {
  const cjs = require("portcullis");
  assert.equal(cjs.Policy, Policy);
  assert.equal(cjs.PolicyError, PolicyError);
  const fromRequire = cjs.Policy.fromYaml(QUICKSTART);
  assert.ok(fromRequire instanceof Policy);
  fromRequire.free();
});

test("Policy.fromYaml compiles a policy; evaluate returns the camelCase verdict", () => {
  const policy = Policy.fromYaml(QUICKSTART);
  assert.deepEqual(policy.ruleNames, ["mcp_read", "mcp_list", "mcp_write", "mcp_delete", "prod_fs_block"]);
  assert.deepEqual(policy.warnings, []);
  const v = policy.evaluate({ tool: "delete_file", server: "dev-filesystem", arguments: { path: "/data/x" } }, { now: NOON });
  assert.equal(v.decision, "deny");
  assert.equal(v.code, "rule_block");
  assert.equal(v.rule, "mcp_delete");
  assert.equal(v.riskLevel, "critical");
  assert.ok(v.riskScore >= 90 && v.riskScore <= 100);
  assert.match(v.reason, /mcp_delete/);
  assert.ok(Array.isArray(v.factors) && v.factors.every((f) => typeof f.name === "string" && typeof f.points === "number"));
  assert.ok(Array.isArray(v.compliance));
  const step = v.trace.find((s) => s.matched);
  assert.deepEqual([step.rule, step.line], ["mcp_delete", 19]);
  assert.equal(v.action.server, "dev-filesystem");
  const read = policy.evaluate({ tool: "read_file", server: "dev-filesystem" });
  assert.deepEqual([read.decision, read.rule, read.riskLevel, read.approvalLevel], ["allow", "mcp_read", "low", null]);
  const write = policy.evaluate({ tool: "write_file", server: "dev-filesystem" });
  assert.equal(write.decision, "require_approval");
  assert.equal(typeof write.approvalLevel, "number");
  policy.free();
});

test("a policy that does not load throws a PolicyError listing every error with its position", () => {
  const source = 'version: "1"\nrules:\n  - name: a\n    mach: { type: "x" }\n    approval: maybe\n';
  assert.throws(
    () => Policy.fromYaml(source),
    (e) => {
      assert.ok(e instanceof PolicyError && e instanceof Error);
      assert.equal(e.name, "PolicyError");
      assert.ok(e.diagnostics.length >= 2, "all errors at once");
      const [first] = e.diagnostics;
      assert.deepEqual([first.severity, first.line, first.column], ["error", 4, 5]);
      assert.match(first.message, /`mach`/);
      assert.ok(e.diagnostics.some((d) => d.line === 5 && /maybe/.test(d.message)));
      assert.match(e.message, /^the policy has \d+ errors: /);
      return true;
    },
  );
});

test("Policy.check reports errors and warnings and never throws", () => {
  const report = Policy.check("rules: [1");
  assert.equal(report.errors[0].kind, "syntax");
  assert.deepEqual(Policy.check(QUICKSTART), { errors: [], warnings: [] });
  for (const bad of [undefined, null, 42, {}, ["x"]]) {
    const r = Policy.check(bad);
    assert.equal(r.errors.length, 1);
    assert.equal(r.errors[0].kind, "type");
  }
});

test("now is a Date, milliseconds or RFC 3339 text, and defaults to the current time", () => {
  const policy = Policy.fromYaml(`version: "1"
rules:
  - name: office_hours
    match: { type: "*" }
    conditions: { time_after: "09:00", time_before: "17:00" }
    approval: auto
`);
  const night = NOON - 10 * 3_600_000;
  const call = { tool: "read_file" };
  assert.equal(policy.evaluate(call, { now: NOON }).decision, "allow");
  assert.equal(policy.evaluate(call, { now: new Date(NOON) }).decision, "allow");
  assert.equal(policy.evaluate(call, { now: "2026-01-07T12:00:00Z" }).decision, "allow");
  assert.equal(policy.evaluate(call, { now: night }).decision, "deny");
  const hour = new Date().getUTCHours();
  const expected = hour >= 9 && hour < 17 ? "allow" : "deny";
  const current = policy.evaluate(call);
  if (new Date().getUTCHours() === hour) assert.equal(current.decision, expected);
  policy.free();
});

test("evaluateMessage decides raw JSON-RPC requests and batches", () => {
  const policy = Policy.fromYaml(QUICKSTART);
  const batch = [
    { jsonrpc: "2.0", id: 1, method: "tools/call", params: { name: "read_file", arguments: { path: "/a" } } },
    { jsonrpc: "2.0", id: 2, method: "tools/call", params: { name: "delete_file" } },
    { jsonrpc: "2.0", method: "notifications/initialized" },
  ];
  for (const message of [batch, JSON.stringify(batch)]) {
    const results = policy.evaluateMessage(message, { server: "dev-filesystem", now: NOON });
    assert.deepEqual(
      results.map((r) => [r.index, r.id, r.kind, r.verdict?.decision ?? null]),
      [
        [0, 1, "tool_call", "allow"],
        [1, 2, "tool_call", "deny"],
        [2, null, "not_a_tool_call", null],
      ],
    );
  }
  const prod = policy.evaluateMessage('{"jsonrpc":"2.0","id":"x","method":"tools/call","params":{"name":"rename_file"}}', {
    server: "prod-filesystem",
  });
  assert.equal(prod[0].verdict.rule, "prod_fs_block");
  const invalid = policy.evaluateMessage("{not json");
  assert.equal(invalid[0].kind, "invalid");
  assert.equal(invalid[0].verdict.decision, "deny");
  policy.free();
});

test("suites run from JS, with a loader or against a policy", () => {
  const suite = Suite.fromYaml(`name: inline
policy_file: quickstart.yaml
cases:
  - name: reads are allowed
    call: { tool: read_file, server: dev-filesystem }
    expect: { decision: allow, rule: mcp_read }
  - name: this expectation is wrong
    call: { tool: delete_file, server: dev-filesystem }
    expect: { decision: allow }
`);
  assert.equal(suite.name, "inline");
  assert.equal(suite.length, 2);
  assert.deepEqual(suite.policyFiles(), ["quickstart.yaml"]);
  const report = suite.run((file) => {
    assert.equal(file, "quickstart.yaml");
    return QUICKSTART;
  });
  assert.deepEqual(report.cases.map((c) => c.passed), [true, false]);
  assert.match(report.cases[1].failures[0], /deny/);
  const policy = Policy.fromYaml(QUICKSTART);
  assert.deepEqual(suite.runAgainst(policy).cases.map((c) => c.passed), [true, false]);
  const noLoader = suite.run();
  assert.match(noLoader.cases[0].failures[0], /no loader/);
  const throwing = suite.run(() => {
    throw new Error("disk on fire");
  });
  assert.match(throwing.cases[0].failures[0], /disk on fire/);
  assert.match(suite.run(() => 42).cases[0].failures[0], /returned a number, not text/);
  assert.throws(() => Suite.fromYaml("cases: 3"), (e) => e instanceof SuiteError && e.diagnostics[0].line === 1);
  suite.free();
  policy.free();
});

test("freeing is explicit (free, Symbol.dispose); a freed policy refuses to be used", () => {
  const a = Policy.fromYaml(QUICKSTART);
  a.free();
  assert.throws(() => a.evaluate({ tool: "read_file" }));
  const b = Policy.fromYaml(QUICKSTART);
  assert.equal(typeof b[Symbol.dispose], "function");
  b[Symbol.dispose]();
  assert.throws(() => b.evaluate({ tool: "read_file" }));
  const c = Suite.fromYaml("cases: []");
  c[Symbol.dispose]();
});

test("many policies can be created and dropped (collected objects are freed)", () => {
  for (let i = 0; i < 300; i++) {
    const p = Policy.fromYaml(QUICKSTART);
    assert.equal(p.evaluate({ tool: "read_file" }).decision, "allow");
  }
});
