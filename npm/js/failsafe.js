// The classes the package exports: `Policy` and `Suite` wrapped around the
// wasm-bindgen glue so that a trap inside the WebAssembly instance never
// reaches the caller as an exception from a decision, never leaves a broken
// instance behind, and never breaks a live `Policy`.
//
// On wasm32 a Rust panic aborts: the call traps (`WebAssembly.RuntimeError:
// unreachable`) and the instance's memory may be inconsistent afterwards.
// Every call into the glue therefore goes through `enter`, which on any
// failure other than a load error (a trap, a stack overflow inside wasm)
// - answers for the call: a deny with code `internal_error` for decisions,
//   an `EngineError` from the loaders and `Policy.check`, a failed case
//   from `Suite.run`;
// - replaces the instance by a fresh one (`reinstantiate`, provided by the
//   entry: a patched glue re-runs its instantiation on the same compiled
//   module), or, where that is impossible, fails closed from then on;
// - bumps the generation: every live `Policy` and `Suite` keeps its YAML
//   source and recompiles itself on the fresh instance at its next use.
//
// The wrappers own the glue objects' lifetimes: each glue object is taken
// out of the glue's FinalizationRegistry (whose callback would free a stale
// pointer in the fresh instance's memory) and freed by this module's own
// registry only if it belongs to the current instance.
//
// This file is copied into each build (as CommonJS for Node) by build.mjs;
// the entries call `failsafe` once per glue module.

import { EngineError, PolicyError, SuiteError } from "./errors.js";

const FAILED = Symbol("failed");
const CONSTRUCT = Symbol("construct");

const INTERNAL = "the engine hit an internal error (its WebAssembly instance trapped)";

/** The deny the engine itself writes for an internal error (`Verdict::denied`). */
function internalVerdict(broken) {
  const then = broken
    ? "this build cannot start a fresh instance, so every call is denied from now on"
    : "the instance was replaced and the next call is decided normally";
  return {
    decision: "deny",
    code: "internal_error",
    riskScore: 100,
    riskLevel: "critical",
    rule: null,
    reason: `Denied: ${INTERNAL}, so it fails closed; ${then}.`,
    factors: [],
    approvalLevel: null,
    compliance: [],
    trace: [],
    action: { tool: "", server: null, namespace: "", verb: "", resource: "", trust: null },
  };
}

/**
 * `evaluate`'s options when they are none, or a plain object whose own keys
 * are only `trace` (a boolean) and `now` (a number), each a data property:
 * `{ trace, now }`, read here so that the engine need not turn them into
 * JSON and parse it on every call. For anything else (a `Date`, a text, an
 * unknown key, a getter, a proxy) `undefined`: the engine's general path
 * reads the options and says what is wrong with them.
 */
function plainOptions(options) {
  if (options === undefined || options === null) return NO_OPTIONS;
  try {
    if (typeof options !== "object" || Object.getPrototypeOf(options) !== Object.prototype) return undefined;
    let trace = true;
    let now;
    for (const key of Object.keys(options)) {
      const property = Object.getOwnPropertyDescriptor(options, key);
      if (property === undefined || !("value" in property)) return undefined;
      const { value } = property;
      if (value === undefined) continue;
      if (key === "trace" && typeof value === "boolean") trace = value;
      else if (key === "now" && typeof value === "number") now = value;
      else return undefined;
    }
    return { trace, now };
  } catch {
    return undefined;
  }
}

const NO_OPTIONS = Object.freeze({ trace: true, now: undefined });

/**
 * Wraps the glue's `Policy` and `Suite`. `reinstantiate()` replaces the
 * glue's instance by a fresh one and returns true, or returns false when
 * the build cannot (the bundler build, whose instance the bundler made).
 */
export function failsafe({ Policy: GluePolicy, Suite: GlueSuite, reinstantiate }) {
  let generation = 0;
  let depth = 0;
  let poisoned = false;
  let broken = false;
  let lastFailure;

  // Frees a glue object when its wrapper is collected, unless it belongs to
  // an instance that has been replaced (its memory went with it).
  const registry =
    typeof FinalizationRegistry === "undefined"
      ? { register() {}, unregister() {} }
      : new FinalizationRegistry((cell) => {
          if (cell.inner && cell.generation === generation && depth === 0 && !broken) {
            try {
              cell.inner.free();
            } catch {
              // A free that traps is a failure like any other, but there is
              // no caller to answer: just replace the instance.
              recover();
            }
          }
        });

  // Takes a glue object out of the glue's own FinalizationRegistry.
  function adopt(inner) {
    const ptr = inner.__destroy_into_raw();
    inner.__wbg_ptr = ptr;
    return inner;
  }

  function recover() {
    generation += 1;
    poisoned = false;
    if (broken) return;
    try {
      if (!reinstantiate()) broken = true;
    } catch (error) {
      broken = true;
      lastFailure = error;
    }
  }

  const isLoadError = (error) => error instanceof PolicyError || error instanceof SuiteError;

  // Runs `run` (one call into the glue). Returns its value, rethrows load
  // errors, and returns FAILED when the engine failed. A failure inside a
  // nested call (a suite's loader that compiles a policy) poisons the
  // outer call too; the instance is replaced once the outermost call is
  // out of the wasm.
  function enter(run) {
    if (broken || poisoned) return FAILED;
    depth += 1;
    let value;
    let failure;
    let failed = false;
    try {
      value = run();
    } catch (error) {
      if (isLoadError(error) && !poisoned) {
        depth -= 1;
        throw error;
      }
      failed = true;
      failure = error;
    }
    depth -= 1;
    if (failed) {
      lastFailure = failure;
      poisoned = true;
    }
    if (!poisoned) return value;
    if (depth === 0) recover();
    return FAILED;
  }

  function engineError(what) {
    const how = broken
      ? "and this build cannot start a fresh instance, so every call now fails closed"
      : "the instance was replaced, so trying again may succeed";
    return new EngineError(`portcullis: ${INTERNAL} while ${what}; ${how}`, lastFailure);
  }

  // One wrapped glue object: its source, and the glue object on the
  // current instance (recompiled from the source when it is stale).
  class Handle {
    constructor(inner, source, load, kind) {
      this.cell = { inner: adopt(inner), generation };
      this.source = source;
      this.load = load;
      this.kind = kind;
    }

    register(owner) {
      registry.register(owner, this.cell, owner);
    }

    // The glue object on the current instance, or FAILED.
    current() {
      const { cell } = this;
      if (cell.inner === null) throw new Error(`this ${this.kind} was freed (free() or using); load it again`);
      if (cell.generation === generation) return cell.inner;
      // Its instance is gone (and its memory with it): compile it again.
      const inner = enter(() => this.load(this.source));
      if (inner === FAILED) return FAILED;
      cell.inner = adopt(inner);
      cell.generation = generation;
      return cell.inner;
    }

    call(use) {
      const inner = this.current();
      return inner === FAILED ? FAILED : enter(() => use(inner));
    }

    free(owner) {
      const { cell } = this;
      if (cell.inner === null) return;
      const inner = cell.inner;
      cell.inner = null;
      registry.unregister(owner);
      if (cell.generation === generation && !broken) enter(() => inner.free());
    }
  }

  // The load errors keep their `warnings`; anything else is an engine failure.
  function load(Glue, source, what) {
    const inner = enter(() => Glue.fromYaml(source));
    if (inner === FAILED) throw engineError(what);
    return inner;
  }

  // Getters have no fail-closed value: try once more on the fresh instance.
  function twice(handle, use, what) {
    let value = handle.call(use);
    if (value === FAILED && !broken) value = handle.call(use);
    if (value === FAILED) throw engineError(what);
    return value;
  }

  // The longest call JSON the engine takes, in UTF-16 units (read once).
  let callLimit;
  // A view of the engine's call buffer (__callBuffer) in the instance of
  // `bufferGeneration`; its length is 0 once the memory has grown.
  let callBuffer;
  let bufferGeneration = -1;
  const encoder = new TextEncoder();

  // `evaluate` with options plainOptions has read: the call's JSON is made
  // here, sparing the engine a call back into JavaScript and a read of its
  // result. Whatever JSON.stringify throws or gives that is not text within
  // the limit goes to the engine as it is, which answers with the same deny
  // as when it calls JSON.stringify itself (js::stringify_checked).
  function evaluatePlain(p, call, trace, now) {
    if (callLimit === undefined) callLimit = GluePolicy.__callLimit();
    let json;
    try {
      json = JSON.stringify(call);
    } catch (thrown) {
      return p.__evaluateUnstringified(call, thrown, true, trace, now);
    }
    if (typeof json !== "string" || json.length > callLimit) return p.__evaluateUnstringified(call, json, false, trace, now);
    // Written straight into the engine's memory when it fits (it nearly
    // always does), else copied in by the glue.
    if (callBuffer === undefined || callBuffer.length === 0 || bufferGeneration !== generation) {
      callBuffer = GluePolicy.__callBuffer();
      bufferGeneration = generation;
    }
    const { read, written } = encoder.encodeInto(json, callBuffer);
    if (read === json.length) return p.__evaluateBuffered(written, trace, now);
    return p.__evaluateStringified(json, trace, now);
  }

  const handles = new WeakMap();
  /** Ties a wrapper object to its glue object (rebuilt from `source` after a trap). */
  const bind = (object, inner, source, Glue, kind) => {
    const handle = new Handle(inner, source, (s) => Glue.fromYaml(s), kind);
    handles.set(object, handle);
    handle.register(object);
  };

  const handleOf = (object, kind) => {
    const handle = handles.get(object);
    if (!handle) throw new TypeError(`not a ${kind}`);
    return handle;
  };

  /**
   * A compiled policy. Free it with `free()` (or `using`) when done; it is
   * also freed when garbage-collected.
   */
  class Policy {
    constructor(token, inner, source) {
      if (token !== CONSTRUCT) throw new TypeError("use Policy.fromYaml(source) to compile a policy");
      bind(this, inner, source, GluePolicy, "Policy");
    }

    /** Compiles a policy from its YAML text; throws a `PolicyError` (or an `EngineError`). */
    static fromYaml(source) {
      return new Policy(CONSTRUCT, load(GluePolicy, source, "compiling a policy"), source);
    }

    /** Checks a policy without keeping it: every error and warning. */
    static check(source) {
      const report = enter(() => GluePolicy.check(source));
      if (report === FAILED) throw engineError("checking a policy");
      return report;
    }

    /** Decides on a tool call; never throws (a failure is a deny). */
    evaluate(call, options) {
      const plain = plainOptions(options);
      const verdict = handleOf(this, "Policy").call((p) =>
        plain === undefined ? p.evaluate(call, options) : evaluatePlain(p, call, plain.trace, plain.now),
      );
      return verdict === FAILED ? internalVerdict(broken) : verdict;
    }

    /** Decides on a tool call given as JSON text; never throws. */
    evaluateJson(call, options) {
      const verdict = handleOf(this, "Policy").call((p) => p.evaluateJson(call, options));
      return verdict === FAILED ? internalVerdict(broken) : verdict;
    }

    /** Decides on a raw MCP JSON-RPC message or batch; never throws. */
    evaluateMessage(message, options) {
      const results = handleOf(this, "Policy").call((p) => p.evaluateMessage(message, options));
      if (results !== FAILED) return results;
      const verdict = internalVerdict(broken);
      return [{ index: 0, id: null, method: null, kind: "invalid", verdict, note: `The message was not evaluated: ${INTERNAL}.` }];
    }

    /** Warnings found while reading the policy. */
    get warnings() {
      return twice(handleOf(this, "Policy"), (p) => p.warnings, "reading a policy's warnings");
    }

    /** The rules' names, in order. */
    get ruleNames() {
      return twice(handleOf(this, "Policy"), (p) => p.ruleNames, "reading a policy's rule names");
    }

    /** Frees the wasm memory now. */
    free() {
      handleOf(this, "Policy").free(this);
    }
  }

  // The benchmark's comparison build (feature `marshal-compare`).
  if (typeof GluePolicy.prototype.evaluateSerde === "function") {
    Policy.prototype.evaluateSerde = function evaluateSerde(call, now) {
      const verdict = handleOf(this, "Policy").call((p) => p.evaluateSerde(call, now));
      return verdict === FAILED ? internalVerdict(broken) : verdict;
    };
  }

  /** A policy test suite in the engine's YAML format. */
  class Suite {
    constructor(token, inner, source) {
      if (token !== CONSTRUCT) throw new TypeError("use Suite.fromYaml(source) to read a suite");
      bind(this, inner, source, GlueSuite, "Suite");
    }

    /** Reads a suite; throws a `SuiteError` (or an `EngineError`). */
    static fromYaml(source) {
      return new Suite(CONSTRUCT, load(GlueSuite, source, "reading a test suite"), source);
    }

    /** The suite's name. */
    get name() {
      return twice(handleOf(this, "Suite"), (s) => s.name, "reading a suite's name");
    }

    /** The number of cases. */
    get length() {
      return twice(handleOf(this, "Suite"), (s) => s.length, "reading a suite's length");
    }

    /** The policy files the suite names. */
    policyFiles() {
      return twice(handleOf(this, "Suite"), (s) => s.policyFiles(), "reading a suite's policy files");
    }

    /** Runs every case; never throws (a failure is a failed case). */
    run(load) {
      const report = handleOf(this, "Suite").call((s) => s.run(load));
      return report === FAILED ? failedReport(this) : report;
    }

    /** Runs every case against `policy`; never throws (a failure is a failed case). */
    runAgainst(policy) {
      const policyHandle = handles.get(policy);
      if (!(policy instanceof Policy) || !policyHandle) throw new TypeError("runAgainst expects a Policy");
      const suiteHandle = handleOf(this, "Suite");
      // Both on the current instance first (either may recompile; a failed
      // recompile replaces the instance again, leaving the other stale).
      const s = suiteHandle.current();
      const p = s === FAILED ? FAILED : policyHandle.current();
      if (p === FAILED || suiteHandle.cell.generation !== generation) return failedReport(this);
      const report = enter(() => s.runAgainst(p));
      return report === FAILED ? failedReport(this) : report;
    }

    /** Frees the wasm memory now. */
    free() {
      handleOf(this, "Suite").free(this);
    }
  }

  // A report whose one case failed, so no runner counts the suite as passed.
  function failedReport(suite) {
    let name = "";
    try {
      name = suite.name;
    } catch {
      // The fresh instance fails too: the report names no suite.
    }
    return {
      name,
      cases: [{ name: "the engine failed", line: 0, passed: false, failures: [`the suite was not run: ${INTERNAL}`], verdicts: [] }],
    };
  }

  if (typeof Symbol.dispose === "symbol") {
    Policy.prototype[Symbol.dispose] = Policy.prototype.free;
    Suite.prototype[Symbol.dispose] = Suite.prototype.free;
  }

  return { Policy, Suite };
}
