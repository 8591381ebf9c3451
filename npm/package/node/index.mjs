// Node, `import "portcullis"`: the same instance as `require`, so objects
// and errors from either are one and the same class.
import node from "./index.cjs";

export const { Policy, Suite, PolicyError, SuiteError, EngineError } = node;
