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

/**
 * Thrown by the loaders (and `Policy.check`) when the engine itself failed:
 * the WebAssembly instance trapped on a bug. Decisions never throw it; they
 * fail closed with a deny whose code is `internal_error`.
 */
export class EngineError extends Error {
  constructor(message, cause) {
    super(message, { cause });
    this.name = "EngineError";
  }
}
