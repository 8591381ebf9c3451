// Bundlers with WebAssembly ESM integration (webpack `asyncWebAssembly`,
// vite-plugin-wasm): the .wasm is imported as a module. The bundler made
// the instance and this build cannot make another, so after a trap every
// call fails closed (a deny; loaders throw an EngineError).
import { Policy as GluePolicy, Suite as GlueSuite } from "./portcullis.js";
import { failsafe } from "./failsafe.js";

export const { Policy, Suite } = failsafe({ Policy: GluePolicy, Suite: GlueSuite, reinstantiate: () => false });
export { PolicyError, SuiteError, EngineError } from "./errors.js";
