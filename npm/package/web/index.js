// Browsers and Deno: initialises itself (top-level await). Use
// `portcullis/web` to call `init()` yourself instead.
import init from "./portcullis.js";

await init();

export { Policy, Suite } from "./engine.js";
export { PolicyError, SuiteError, EngineError } from "./errors.js";
