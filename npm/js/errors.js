// The errors the loaders throw. Imported by the wasm glue (which builds
// them) and re-exported by every entry of the package, so `instanceof`
// works.

class DiagnosticsError extends Error {
  constructor(message, diagnostics, warnings) {
    super(message);
    this.name = new.target.name;
    this.diagnostics = diagnostics;
    this.warnings = warnings;
  }
}

/** Thrown by `Policy.fromYaml` when the policy does not load. */
export class PolicyError extends DiagnosticsError {}

/** Thrown by `Suite.fromYaml` when the test suite cannot be read. */
export class SuiteError extends DiagnosticsError {}

export function loadError(kind, json) {
  const { message, diagnostics, warnings } = JSON.parse(json);
  const ErrorClass = kind === "suite" ? SuiteError : PolicyError;
  return new ErrorClass(message, diagnostics, warnings);
}
