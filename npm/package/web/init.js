// `portcullis/web`: call `await init()` (or `initSync({ module })`) before
// using `Policy`; for bundlers that dislike top-level await.
export { default, default as init, initSync } from "./portcullis.js";
export { Policy, Suite } from "./engine.js";
export { PolicyError, SuiteError, EngineError } from "./errors.js";
