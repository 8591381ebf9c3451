// Node, `import "portcullis"`: the same instance as `require`, so objects
// and errors from either are one and the same class. Loaded with `require`
// rather than `import "./index.cjs"`, which would have Node's ESM loader
// scan the CommonJS sources for their exports first (about 2 ms of a cold
// start).
import { createRequire } from "node:module";

const node = createRequire(import.meta.url)("./index.cjs");

export const { Policy, Suite, PolicyError, SuiteError, EngineError } = node;
