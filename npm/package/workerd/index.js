// Cloudflare workerd: the .wasm is imported as a compiled module, so no
// fetch and no eval is needed at startup.
import module from "../web/portcullis_bg.wasm";
import { initSync } from "../web/portcullis.js";

initSync({ module });

export { Policy, Suite } from "../web/portcullis.js";
export { PolicyError, SuiteError } from "../web/errors.js";
