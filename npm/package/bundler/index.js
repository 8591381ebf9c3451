// Bundlers with WebAssembly ESM integration (webpack `asyncWebAssembly`,
// vite-plugin-wasm): the .wasm is imported as a module.
export { Policy, Suite } from "./portcullis.js";
export { PolicyError, SuiteError } from "./errors.js";
