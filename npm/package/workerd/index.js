// Cloudflare workerd: the .wasm is imported as a compiled module, so no
// fetch and no eval is needed at startup (and a fresh instance after a
// trap is made from the same module, synchronously).
import module from "../web/portcullis_bg.wasm";
import { initSync } from "../web/portcullis.js";

initSync({ module });

export { Policy, Suite } from "../web/engine.js";
export { PolicyError, SuiteError, EngineError } from "../web/errors.js";
