// `portcullis/web`: call `await init()` (or `initSync({ module })`) before
// using `Policy`; for bundlers that dislike top-level await.
export { default, default as init, initSync, Policy, Suite } from "./portcullis.js";
export { PolicyError, SuiteError } from "./errors.js";
