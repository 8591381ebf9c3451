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

import { NOON, QUICKSTART, corpusCalls, pkgDir } from "./support/package.mjs";

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
  const suites = corpusCalls();
  let checked = 0;
  for (const [file, { policy: source, calls }] of Object.entries(suites)) {
    await t.test(file, () => {
      const policy = Policy.fromYaml(source);
      try {
        for (const call of calls) {
          for (const options of [{ now: NOON }, { now: NOON, trace: false }, { now: new Date(NOON) }]) {
            const both = bothWays(() => policy.evaluate(call, options));
            assert.equal(both.fields, both.json, `${JSON.stringify(call)} with ${JSON.stringify(options)}`);
            assert.deepEqual([both.sentAsFieldsWhenOff, both.sentAsFields], [0, 1], "one verdict crossed as fields");
            const text = bothWays(() => policy.evaluateJson(JSON.stringify(call), options));
            assert.equal(text.fields, text.json);
            assert.equal(text.sentAsFields, 1);
            checked += 1;
          }
        }
      } finally {
        policy.free();
      }
    });
  }
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
