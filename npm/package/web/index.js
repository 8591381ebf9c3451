// Browsers and Deno: initialises itself (top-level await). Use
// `portcullis/web` to call `init()` yourself instead.
import init from "./portcullis.js";

await init();

export { Policy, Suite } from "./portcullis.js";
export { PolicyError, SuiteError } from "./errors.js";
