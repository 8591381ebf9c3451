// With plain options (`{ trace, now }` with a boolean and a number, or none)
// `evaluate` makes the call's JSON in JavaScript (failsafe.js) and hands the
// text to the engine; with any other options the engine calls
// JSON.stringify itself (js::stringify_checked). Both must give the very same
// verdict for every call, above all for the calls that have no JSON form or
// too long a one: checked here case for case, the fast path against the
// general one (`now` as a number against the same moment as a Date).
import assert from "node:assert/strict";
import { createRequire } from "node:module";
import path from "node:path";
import { test } from "node:test";

import { Policy } from "portcullis";

import { NOON, QUICKSTART, eachCorpusCall, pkgDir } from "./support/package.mjs";

const require = createRequire(import.meta.url);
const glue = require(path.join(pkgDir, "node", "portcullis.js"));
const LIMIT = glue.Policy.__callLimit();
// The engine's buffer for a call's JSON: a call whose JSON fits is written
// there, a longer one is passed as a string.
const BUFFER = glue.Policy.__callBuffer().length;

/** Both paths' verdicts on the call `make()` builds (afresh for each path). */
function bothPaths(policy, make, trace) {
  const fast = trace === undefined ? { now: NOON } : { now: NOON, trace };
  const general = trace === undefined ? { now: new Date(NOON) } : { now: new Date(NOON), trace };
  return { fast: policy.evaluate(make(), fast), general: policy.evaluate(make(), general) };
}

function cyclic() {
  const call = { tool: "read_file", arguments: {} };
  call.arguments.self = call;
  return call;
}

function nested(depth) {
  const call = { tool: "read_file", arguments: {} };
  let node = call.arguments;
  for (let i = 0; i < depth; i++) node = node.next = {};
  return call;
}

const throwing = (thrown) => () => ({ tool: "read_file", toJSON: () => { throw thrown; } });
const multiline = new Error("first line\nsecond line");
const blob = (text) => ({ tool: "read_file", arguments: { blob: text } });
// The JSON of blob("") is this long; a blob of n ASCII characters adds n.
const BLOB_JSON = JSON.stringify(blob("")).length;

const cases = [
  ["undefined", () => undefined],
  ["null", () => null],
  ["a number", () => 42],
  ["a boolean", () => true],
  ["a string", () => "read_file"],
  ["an array", () => [{ tool: "read_file" }]],
  ["a function", () => () => {}],
  ["a symbol", () => Symbol("x")],
  ["a Date", () => new Date(NOON)],
  ["a cyclic object", cyclic],
  ["a BigInt", () => ({ tool: "read_file", arguments: { n: 10n } })],
  ["a throwing getter", () => ({ tool: "read_file", get arguments() { throw new Error("getter exploded"); } })],
  ["a throwing toJSON", throwing(new RangeError("no JSON for you"))],
  ["a toJSON that throws text", throwing("just text")],
  ["a toJSON that throws a number", throwing(42)],
  ["a toJSON that throws an object", throwing({ message: "not an Error" })],
  ["a toJSON that throws null", throwing(null)],
  ["a toJSON that throws a multi-line Error", throwing(multiline)],
  ["a toJSON that gives undefined", () => ({ tool: "read_file", toJSON: () => undefined })],
  ["a toJSON that gives a call", () => ({ toJSON: () => ({ tool: "delete_file", server: "dev-filesystem" }) })],
  ["a toJSON that gives text", () => ({ toJSON: () => "read_file" })],
  ["a revoked proxy", () => { const r = Proxy.revocable({}, {}); r.revoke(); return r.proxy; }],
  ["a proxy of a call", () => new Proxy({ tool: "read_file", server: "dev" }, {})],
  ["a proxy whose trap throws", () => new Proxy({ tool: "read_file" }, { ownKeys() { throw new TypeError("no keys"); } })],
  ["arguments nested past the limit", () => nested(100)],
  ["arguments nested past the JS stack", () => nested(50_000)],
  ["a call at the size limit", () => blob("x".repeat(LIMIT - BLOB_JSON))],
  ["a call one character over the limit", () => blob("x".repeat(LIMIT - BLOB_JSON + 1))],
  ["a huge call", () => blob("x".repeat(6 * 1024 * 1024))],
  ["a call within the limit in characters but not in bytes", () => blob("é".repeat(LIMIT - BLOB_JSON))],
  ["a call that just fits the call buffer", () => blob("x".repeat(BUFFER - BLOB_JSON))],
  ["a call one byte over the call buffer", () => blob("x".repeat(BUFFER - BLOB_JSON + 1))],
  ["a call that fits the call buffer in characters but not in bytes", () => blob("✓".repeat(BUFFER - BLOB_JSON))],
  ["a call with every kind of character", () => blob("aé✓\ud83d\ude00\u0000\"\\\n\ud800".repeat(500))],
  ["a call with texts that hold the fields markers", () => ({ tool: "read\u0001file", server: "\u0002" })],
  ["a call with a text that holds the repeat marker", () => ({ tool: "read\u0003file", server: "\u0003" })],
  ["an empty tool name", () => ({ tool: "  " })],
  ["no tool", () => ({ server: "x" })],
  ["an unknown field", () => ({ tool: "read_file", sever: "x" })],
  ["a call that is fine", () => ({ tool: "delete_file", server: "dev-filesystem", arguments: { path: "/data/a" } })],
];

// First in this file, while the memory is still small.
test("the call buffer is found again after the memory grows and after the instance is replaced", () => {
  const policy = Policy.fromYaml(QUICKSTART);
  try {
    const call = { tool: "delete_file", server: "dev-filesystem", arguments: { path: "/data/a" } };
    const expected = policy.evaluate(call, { now: new Date(NOON) });
    assert.deepEqual(policy.evaluate(call, { now: NOON }), expected);
    const memory = () => glue.Policy.__callBuffer().buffer.byteLength;
    const before = memory();
    // Calls of a few MiB grow the memory (the view of the buffer is detached).
    for (let i = 1; i <= 3; i++) {
      const big = blob("x".repeat(i * 1024 * 1024));
      assert.deepEqual(policy.evaluate(big, { now: NOON }), policy.evaluate(big, { now: new Date(NOON) }));
      assert.deepEqual(policy.evaluate(call, { now: NOON }), expected);
    }
    assert.ok(memory() > before, `the memory grew (${before} bytes before, ${memory()} after)`);
    // A trap replaces the instance: the next call is written to the new one's buffer.
    glue.__portcullisPanicAfter(1);
    assert.equal(policy.evaluate(call, { now: NOON }).code, "internal_error");
    for (let i = 0; i < 3; i++) assert.deepEqual(policy.evaluate({ ...call }, { now: NOON, trace: true }), expected);
  } finally {
    policy.free();
  }
});

test("the call's JSON made in JavaScript gives the same verdict as made by the engine", async (t) => {
  const policy = Policy.fromYaml(QUICKSTART);
  try {
    for (const [what, make] of cases) {
      await t.test(what, () => {
        for (const trace of [undefined, false, true]) {
          const { fast, general } = bothPaths(policy, make, trace);
          assert.deepEqual(fast, general, `${what}, trace ${trace}`);
        }
      });
    }
  } finally {
    policy.free();
  }
});

test("the deny for a call with no JSON form or too long a one says why", () => {
  const policy = Policy.fromYaml(QUICKSTART);
  try {
    const expect = [
      [() => undefined, "invalid_call", "Denied: the call is undefined, which has no JSON form."],
      [() => Symbol("x"), "invalid_call", "Denied: the call is a symbol, which has no JSON form."],
      [throwing("just text"), "invalid_call", "Denied: the call could not be converted to JSON: just text."],
      [throwing(42), "invalid_call", "Denied: the call could not be converted to JSON: a number was thrown."],
      [throwing(multiline), "invalid_call", "Denied: the call could not be converted to JSON: first line."],
      [
        () => blob("x".repeat(LIMIT - BLOB_JSON + 1)),
        "limit_exceeded",
        `Denied: the call is ${LIMIT + 1} characters of JSON, more than the limit of ${LIMIT} bytes.`,
      ],
    ];
    for (const [make, code, reason] of expect) {
      const verdict = policy.evaluate(make(), { now: NOON, trace: false });
      assert.equal(verdict.decision, "deny");
      assert.equal(verdict.code, code);
      assert.equal(verdict.reason, reason);
    }
    assert.notEqual(policy.evaluate(blob("x".repeat(LIMIT - BLOB_JSON)), { now: NOON }).code, "limit_exceeded");
  } finally {
    policy.free();
  }
});

test("the call is converted to JSON once per decision", () => {
  const policy = Policy.fromYaml(QUICKSTART);
  try {
    for (const options of [undefined, { trace: false }, { now: NOON }, { now: new Date(NOON) }]) {
      let reads = 0;
      const call = { tool: "read_file", get server() { reads += 1; return "dev"; } };
      policy.evaluate(call, options);
      assert.equal(reads, 1, JSON.stringify(options));
    }
  } finally {
    policy.free();
  }
});

test("every corpus call gives the same verdict on both paths", async (t) => {
  const checked = await eachCorpusCall(t, Policy, (policy, call) => {
    for (const trace of [undefined, false]) {
      const { fast, general } = bothPaths(policy, () => call, trace);
      assert.deepEqual(fast, general, JSON.stringify(call));
    }
    return 2;
  });
  assert.ok(checked > 600, `only ${checked} calls checked`);
});
