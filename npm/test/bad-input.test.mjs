// Bad input of every kind gets a clear error or a deny, and the same Policy
// (and the same wasm instance) keeps answering correctly afterwards.
import assert from "node:assert/strict";
import { test } from "node:test";

import { Policy, PolicyError, Suite, SuiteError } from "portcullis";

import { NOON, QUICKSTART } from "./support/package.mjs";

const policy = Policy.fromYaml(QUICKSTART);
const good = { tool: "delete_file", server: "dev-filesystem", arguments: { path: "/tmp/a" } };
const baseline = policy.evaluate(good, { now: NOON });

function stillWorks() {
  assert.deepEqual(policy.evaluate(good, { now: NOON }), baseline, "the same instance answers as before");
}

const cyclic = { tool: "read_file", arguments: {} };
cyclic.arguments.self = cyclic;
function nested(depth) {
  const call = { tool: "read_file", arguments: {} };
  let node = call.arguments;
  for (let i = 0; i < depth; i++) node = node.next = {};
  return call;
}
const throwingGetter = {
  tool: "read_file",
  get arguments() {
    throw new Error("getter exploded");
  },
};
const hostileToJson = { tool: "read_file", toJSON: () => { throw new RangeError("no JSON for you"); } };
const revoked = Proxy.revocable({}, {});
revoked.revoke();

const calls = [
  ["null", null, /invalid tool call/],
  ["undefined", undefined, /has no JSON form/],
  ["a number", 42, /invalid tool call/],
  ["a string", "read_file", /invalid tool call/],
  ["an array", [{ tool: "read_file" }], /invalid tool call/],
  ["a function", () => {}, /has no JSON form/],
  ["a symbol", Symbol("x"), /has no JSON form/],
  ["no tool", { server: "x" }, /missing field `tool`/],
  ["tool of the wrong type", { tool: 7 }, /invalid type/],
  ["arguments of the wrong type", { tool: "read_file", arguments: [1, 2] }, /invalid type/],
  ["an unknown field", { tool: "read_file", sever: "x" }, /unknown field `sever`/],
  ["a cyclic object", cyclic, /circular/i],
  ["a BigInt", { tool: "read_file", arguments: { n: 10n } }, /BigInt/],
  ["a throwing getter", throwingGetter, /getter exploded/],
  ["a throwing toJSON", hostileToJson, /no JSON for you/],
  ["a revoked proxy", revoked.proxy, /revoked/],
  ["arguments nested past the limit", nested(100), /depth|deep|nest/i],
  ["arguments nested past the JS stack", nested(50_000), /Maximum call stack/],
  ["a huge string", { tool: "read_file", arguments: { blob: "x".repeat(6 * 1024 * 1024) } }, /more than the limit/],
  ["an empty tool name", { tool: "  " }, /names no tool/],
];

for (const [what, call, says] of calls) {
  test(`evaluate with ${what}: a deny that says why`, () => {
    const v = policy.evaluate(call, { now: NOON });
    assert.equal(v.decision, "deny");
    assert.ok(["invalid_call", "limit_exceeded"].includes(v.code), v.code);
    assert.match(v.reason, says);
    stillWorks();
  });
}

const options = [
  ["a number", 5, /options must be an object/],
  ["an array", [], /options must be an object/],
  ["an unknown option", { sever: "x" }, /unknown field `sever`/],
  ["an invalid Date", { now: new Date("nope") }, /not a date/],
  ["now as a boolean", { now: true }, /`now` must be a Date/],
  ["now as text that is no date", { now: "tomorrow" }, /`tomorrow`/],
  ["now out of range", { now: 1e300 }, /not a date/],
  ["trace of the wrong type", { trace: "yes" }, /invalid type/],
  ["a throwing now getter", { get now() { throw new Error("clock broke"); } }, /clock broke/],
];

for (const [what, given, says] of options) {
  test(`evaluate with options that are ${what}: a deny that says why`, () => {
    const v = policy.evaluate({ tool: "read_file" }, given);
    assert.equal(v.decision, "deny");
    assert.match(v.reason, says);
    stillWorks();
  });
}

test("evaluateJson: text with duplicate keys, bad JSON or no text is a deny", () => {
  assert.match(policy.evaluateJson('{"tool":"read_file","tool":"delete_file"}').reason, /duplicate/);
  assert.match(policy.evaluateJson('{"tool":').reason, /line 1/);
  assert.match(policy.evaluateJson({ tool: "read_file" }).reason, /must be JSON text, not an object/);
  assert.equal(policy.evaluateJson('{"tool":"read_file","server":"dev"}', { now: NOON }).decision, "allow");
  stillWorks();
});

test("evaluateMessage with bad input: an invalid result with a deny", () => {
  const cases = [
    [cyclic, /circular/i],
    [undefined, /no JSON form/],
    ["x".repeat(5 * 1024 * 1024), /more than the limit/],
    ["[]", /empty/],
    ['{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"x"}}', null],
  ];
  for (const [message, says] of cases) {
    const [first] = policy.evaluateMessage(message, { server: "s", now: NOON });
    if (says === null) {
      assert.equal(first.kind, "tool_call");
      continue;
    }
    assert.equal(first.kind, "invalid");
    assert.equal(first.verdict.decision, "deny");
    assert.match(first.note + first.verdict.reason, says);
  }
  const [bad] = policy.evaluateMessage("{}", { annotations: { rm: { destructiveHint: "yes" } } });
  assert.equal(bad.verdict.decision, "deny");
  assert.match(bad.note, /invalid options/);
  stillWorks();
});

test("loaders refuse what is not text, and huge texts, with a PolicyError", () => {
  for (const [source, says] of [
    [42, /must be YAML text, not a number/],
    [undefined, /not undefined/],
    [{ rules: [] }, /not an object/],
    ["x: ".repeat(3 * 1024 * 1024), /more than the limit/],
    ["a: [\n".repeat(200), /./],
  ]) {
    assert.throws(() => Policy.fromYaml(source), (e) => e instanceof PolicyError && says.test(e.message) && e.diagnostics.length > 0);
  }
  stillWorks();
});

test("ten thousand bad calls in a row leave the instance working", () => {
  for (let i = 0; i < 10_000; i++) policy.evaluate(i % 2 ? cyclic : { tool: i }, { now: NOON });
  stillWorks();
});

test("Policy.check with bad input returns errors, never throws", () => {
  for (const [source, says] of [
    [42, /not a number/],
    [undefined, /not undefined/],
    [cyclic, /not an object/],
    ["x: ".repeat(3 * 1024 * 1024), /more than the limit/],
    ["rules: [", /invalid YAML/],
    [`x: ${"[".repeat(100)}`, /nested deeper/],
  ]) {
    const report = Policy.check(source);
    assert.ok(report.errors.length > 0);
    assert.match(report.errors[0].message, says);
    assert.equal(typeof report.errors[0].line, "number");
  }
  stillWorks();
});

test("evaluateJson and evaluateMessage with text that is not JSON, or not text: a deny", () => {
  for (const text of ["", "nope", "{", '{"tool":"read_file"} trailing', "\u0000", "[1,2", "null"]) {
    const verdict = policy.evaluateJson(text, { now: NOON });
    assert.equal(verdict.decision, "deny", text);
    assert.equal(verdict.code, "invalid_call", text);
    const [result, ...rest] = policy.evaluateMessage(text, { now: NOON });
    assert.equal(rest.length, 0);
    assert.equal(result.kind, "invalid", text);
    assert.equal(result.verdict.decision, "deny");
  }
  for (const value of [42, null, undefined, Symbol("s"), cyclic, revoked.proxy]) {
    assert.equal(policy.evaluateJson(value, { now: NOON }).decision, "deny");
  }
  stillWorks();
});

test("bad suites: SuiteError from the loader, failed cases from run, a TypeError for runAgainst without a Policy", () => {
  for (const source of [42, undefined, "cases: 3", "cases: [", "x: ".repeat(3 * 1024 * 1024), `cases: ${"[".repeat(100)}`]) {
    assert.throws(() => Suite.fromYaml(source), (e) => e instanceof SuiteError && e.diagnostics.length > 0 && typeof e.diagnostics[0].line === "number");
  }
  const suite = Suite.fromYaml(`name: s
policy_file: p.yaml
cases:
  - name: read
    call: { tool: read_file, server: dev }
    expect: { decision: allow }
`);
  for (const load of [undefined, 42, () => 42, () => undefined, () => cyclic, () => { throw new Error("disk on fire"); }, () => "rules: [", () => "x".repeat(5 * 1024 * 1024)]) {
    const report = suite.run(load);
    assert.equal(report.cases.length, 1);
    assert.equal(report.cases[0].passed, false);
    assert.ok(report.cases[0].failures.length > 0);
  }
  for (const notAPolicy of [undefined, {}, cyclic, Policy, Suite.fromYaml("cases: []")]) {
    assert.throws(() => suite.runAgainst(notAPolicy), TypeError);
  }
  const freed = Policy.fromYaml(QUICKSTART);
  freed.free();
  assert.throws(() => suite.runAgainst(freed), /freed/);
  assert.equal(suite.runAgainst(policy).cases[0].passed, true);
  assert.equal(suite.run(() => QUICKSTART).cases[0].passed, true);
  stillWorks();
});

test("a freed Policy or Suite refuses to be used with a clear error, and nothing else is affected", () => {
  const freed = Policy.fromYaml(QUICKSTART);
  freed.free();
  freed.free(); // twice is fine
  for (const use of [() => freed.evaluate(good), () => freed.evaluateJson("{}"), () => freed.evaluateMessage("{}"), () => freed.ruleNames, () => freed.warnings]) {
    assert.throws(use, /this Policy was freed/);
  }
  const suite = Suite.fromYaml("cases: []");
  suite.free();
  assert.throws(() => suite.run(() => ""), /this Suite was freed/);
  assert.throws(() => new Policy(), TypeError, "only the loaders make policies");
  stillWorks();
});
