// A verdict crosses from the wasm to JavaScript as fields (npm/src/fields.rs,
// read by js/verdict.js) rather than as JSON, which JSON.parse was slow to
// read. Both must give the very same object: checked here for every call of
// the shared corpus, with and without the trace, through `evaluate`,
// `evaluateJson` and the plain-options fast path, by switching the fields off
// with the glue's hidden testing hook `__portcullisVerdictFields(false)`.
import assert from "node:assert/strict";
import { createRequire } from "node:module";
import path from "node:path";
import { test } from "node:test";

import { Policy } from "portcullis";

import { NOON, QUICKSTART, eachCorpusCall, pkgDir } from "./support/package.mjs";

const require = createRequire(import.meta.url);
const { __portcullisVerdictFields: verdictFields } = require(path.join(pkgDir, "node", "portcullis.js"));

/**
 * The verdict of `decide()` as fields and as JSON, as JSON text each, and
 * how many verdicts crossed as fields in each run.
 */
function bothWays(decide) {
  verdictFields(false);
  try {
    const json = JSON.stringify(decide());
    const sentAsFieldsWhenOff = verdictFields(true);
    const fields = JSON.stringify(decide());
    return { fields, json, sentAsFieldsWhenOff, sentAsFields: verdictFields(true) };
  } finally {
    verdictFields(true);
  }
}

test("every corpus call gives the same verdict as fields and as JSON", async (t) => {
  const options = [{ now: NOON }, { now: NOON, trace: false }, { now: new Date(NOON) }];
  const checked = await eachCorpusCall(t, Policy, (policy, call) => {
    for (const option of options) {
      const both = bothWays(() => policy.evaluate(call, option));
      assert.equal(both.fields, both.json, `${JSON.stringify(call)} with ${JSON.stringify(option)}`);
      assert.deepEqual([both.sentAsFieldsWhenOff, both.sentAsFields], [0, 1], "one verdict crossed as fields");
      const text = bothWays(() => policy.evaluateJson(JSON.stringify(call), option));
      assert.equal(text.fields, text.json);
      assert.equal(text.sentAsFields, 1);
    }
    return options.length;
  });
  assert.ok(checked > 1000, `only ${checked} calls checked`);
});

test("texts that hold the field markers, or any other character, come through whole", () => {
  const policy = Policy.fromYaml(`${QUICKSTART}\n  - name: "odd\\u0001name"\n    match: { type: "odd*" }\n    approval: block\n`);
  try {
    for (const tool of ["odd\u0001tool", "odd\u0002", "\u0002", "odd-ünïcødé-✓", "odd\u0000nul", "odd\ud83d\ude00"]) {
      const call = { tool, server: "s\u0001", arguments: { path: "/data/\u0002/x", note: "a\u0001b" } };
      const { fields, json, sentAsFields } = bothWays(() => policy.evaluate(call, { now: NOON }));
      assert.equal(fields, json, JSON.stringify(tool));
      assert.equal(sentAsFields, 0, "a verdict holding a marker crosses as JSON");
      const verdict = policy.evaluate(call, { now: NOON });
      assert.equal(verdict.action.tool, tool);
      assert.equal(verdict.action.server, "s\u0001");
    }
  } finally {
    policy.free();
  }
});

test("a trace whose steps repeat a clause's field and value crosses as fields, whole", () => {
  const rules = [
    ...Array.from({ length: 5 }, (_, i) => `  - name: t${i}\n    match: { tool: "tool${i}" }\n`),
    "  - name: s\n    match: { server: prod }\n",
    "  - name: c\n    match: { tool: \"*\" }\n    conditions: { param_gt: { n: 5 } }\n",
    ...Array.from({ length: 3 }, (_, i) => `  - name: u${i}\n    match: { tool: "other${i}" }\n`),
  ];
  const policy = Policy.fromYaml(`version: 1\nrules:\n${rules.join("")}`);
  try {
    for (const call of [
      { tool: "x", arguments: { n: 1 } },
      { tool: "x", server: "dev", arguments: { n: 1 } },
      { tool: "x\u0003", server: "\u0003" },
    ]) {
      const { fields, json, sentAsFields } = bothWays(() => policy.evaluate(call, { now: NOON }));
      assert.equal(fields, json, JSON.stringify(call));
      assert.equal(sentAsFields, call.tool === "x" ? 1 : 0, "only a verdict holding the marker crosses as JSON");
      const { trace } = policy.evaluate(call, { now: NOON });
      assert.deepEqual(
        trace.map((step) => step.failed?.field ?? "-"),
        ["match.tool", "match.tool", "match.tool", "match.tool", "match.tool", "match.server", "conditions.param_gt.n", "match.tool", "match.tool", "match.tool"],
      );
      assert.equal(trace[4].failed.actual, call.tool);
      assert.equal(trace[7].failed.actual, call.tool);
    }
  } finally {
    policy.free();
  }
});

test("the plain-options fast path and the general path give the same verdicts", () => {
  const policy = Policy.fromYaml(QUICKSTART);
  try {
    const call = { tool: "delete_file", server: "dev-filesystem", arguments: { path: "/data/a" } };
    // Each pair: options the fast path reads, and options only the general path reads.
    const pairs = [
      [{ now: NOON }, { now: new Date(NOON) }],
      [{ now: NOON, trace: false }, { now: new Date(NOON), trace: false }],
      [{ now: NOON, trace: true }, { now: new Date(NOON).toISOString(), trace: true }],
    ];
    for (const [fast, general] of pairs) {
      assert.deepEqual(policy.evaluate(call, fast), policy.evaluate(call, general));
    }
    // Options the fast path leaves to the general path are still checked there.
    const bad = [{ trace: "no" }, { tracee: false }, { now: NaN }, Object.create({ trace: false })];
    for (const options of bad) {
      const verdict = policy.evaluate(call, options);
      if (Object.getPrototypeOf(options) !== Object.prototype) {
        assert.equal(verdict.trace.length > 0, true, "inherited keys are not options (as with JSON.stringify)");
        continue;
      }
      assert.equal(verdict.decision, "deny", JSON.stringify(options));
      assert.equal(verdict.code, "invalid_call");
    }
    const getter = { get trace() { throw new Error("boom"); } };
    assert.equal(policy.evaluate(call, getter).code, "invalid_call");
    const trace = policy.evaluate(call, { now: NOON, trace: false }).trace;
    assert.deepEqual(trace, []);
  } finally {
    policy.free();
  }
});

test("the fields reader: numbers of any sign and size, nulls, texts that look like either, and malformed text", () => {
  const { verdictFromFields } = require(path.join(pkgDir, "node", "verdict.js"));
  const S = "\u0001";
  const N = "\u0002";
  const fields = (list) => list.map((f) => `${f}${S}`).join("");
  const action = ["t", N, "ns", "v", "r", N];
  const verdict = verdictFromFields(
    fields([
      "deny", "rule_block", "100", "critical", N, "why", 2, "a", "-15", "x", "b", "123456789012345678", "", 7, 1, "2",
      1, "r", "4294967295", "0", "1", "f", "p", N, ...action,
    ]),
  );
  assert.deepEqual(verdict, {
    decision: "deny",
    code: "rule_block",
    riskScore: 100,
    riskLevel: "critical",
    rule: null,
    reason: "why",
    factors: [
      { name: "a", points: -15, detail: "x" },
      { name: "b", points: 123456789012345678, detail: "" },
    ],
    approvalLevel: 7,
    compliance: ["2"],
    trace: [{ rule: "r", index: 4294967295, line: 0, matched: true, failed: { field: "f", pattern: "p", actual: null } }],
    action: { tool: "t", server: null, namespace: "ns", verb: "v", resource: "r", trust: null },
  });
  // A text that is NUL and more is a text; a text field that is NUL alone stays a text.
  const texts = verdictFromFields(fields(["allow", "c", "0", "low", `${N}x`, N, 0, N, 0, 0, "t", `${N}${N}`, "", "", "", "x"]));
  assert.equal(texts.rule, `${N}x`);
  assert.equal(texts.reason, N);
  assert.equal(texts.action.server, `${N}${N}`);
  assert.equal(texts.action.trust, "x");
  // The engine never writes these; the reader throws (and the engine then sends JSON).
  const good = fields(["allow", "c", "0", "low", N, "", 0, N, 0, 0, ...action]);
  assert.equal(verdictFromFields(good).decision, "allow");
  for (const bad of ["", "allow", good.slice(0, -1), `${good}x`, `${good}x${S}`]) {
    assert.throws(() => verdictFromFields(bad), /verdict fields/, JSON.stringify(bad));
  }
  assert.equal(verdictFromFields(good).decision, "allow", "a throw leaves the reader usable");
});
