// The errors the loaders throw. Imported by the wasm glue (which builds
// them) and re-exported by every entry of the package, so `instanceof`
// works.

/** Thrown by `Policy.fromYaml` when the policy does not load. */
export class PolicyError extends Error {
  constructor(message, diagnostics, warnings) {
    super(message);
    this.name = "PolicyError";
    this.diagnostics = diagnostics;
    this.warnings = warnings;
  }
}

/** Thrown by `Suite.fromYaml` when the test suite cannot be read. */
export class SuiteError extends Error {
  constructor(message, diagnostics, warnings) {
    super(message);
    this.name = "SuiteError";
    this.diagnostics = diagnostics;
    this.warnings = warnings;
  }
}

export function loadError(kind, json) {
  const { message, diagnostics, warnings } = JSON.parse(json);
  const ErrorClass = kind === "suite" ? SuiteError : PolicyError;
  return new ErrorClass(message, diagnostics, warnings);
}
