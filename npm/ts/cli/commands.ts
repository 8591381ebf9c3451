// `portcullis check`, `eval` and `test`.
import fs from "node:fs";
import path from "node:path";

import { Policy, PolicyError, Suite, SuiteError } from "portcullis";
import type { Diagnostic } from "portcullis";

/** Exit codes: 0 ok, 1 the input is wrong (policy errors, failed cases), 2 usage. */
export const EXIT_OK = 0;
export const EXIT_FAILED = 1;
export const EXIT_USAGE = 2;

export class UsageError extends Error {}

/** A failure already printed (a policy or suite that did not load). */
export class Reported extends Error {}

export function readText(file: string): string {
  try {
    return file === "-" ? fs.readFileSync(0, "utf8") : fs.readFileSync(file, "utf8");
  } catch (error) {
    throw new UsageError(`cannot read ${file}: ${(error as Error).message}`);
  }
}

/** `file:line:column: error: message` and the help, as compilers print. */
export function formatDiagnostic(file: string, d: Diagnostic): string {
  const help = d.help ? `\n  help: ${d.help}` : "";
  const text = d.text ? `\n  | ${d.text.split("\n")[0]}` : "";
  return `${file}:${d.line}:${d.column}: ${d.severity}: ${d.message}${text}${help}`;
}

export function loadPolicy(file: string): Policy {
  const text = readText(file);
  try {
    return Policy.fromYaml(text);
  } catch (error) {
    throw reported(error, file);
  }
}

function loadSuite(file: string): Suite {
  const text = readText(file);
  try {
    return Suite.fromYaml(text);
  } catch (error) {
    throw reported(error, file);
  }
}

export function check(files: string[], json: boolean): number {
  if (files.length === 0) throw new UsageError("check needs a policy file");
  let failed = false;
  const reports: Record<string, unknown> = {};
  for (const file of files) {
    const report = Policy.check(readText(file));
    reports[file] = report;
    failed ||= report.errors.length > 0;
    if (json) continue;
    for (const d of [...report.errors, ...report.warnings]) console.log(formatDiagnostic(file, d));
    const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? "" : "s"}`;
    console.log(`${file}: ${plural(report.errors.length, "error")}, ${plural(report.warnings.length, "warning")}`);
  }
  if (json) console.log(JSON.stringify(files.length === 1 ? reports[files[0]] : reports, null, 2));
  return failed ? EXIT_FAILED : EXIT_OK;
}

export function evaluate(policyFile: string, callFile: string, options: { now?: string; server?: string }): number {
  const policy = loadPolicy(policyFile);
  const text = readText(callFile);
  const now = options.now ?? Date.now();
  let isMessage = false;
  try {
    const parsed = JSON.parse(text);
    isMessage = Array.isArray(parsed) || (typeof parsed === "object" && parsed !== null && "jsonrpc" in parsed);
  } catch {
    // Not JSON: evaluateJson says where.
  }
  const result = isMessage
    ? policy.evaluateMessage(text, { now, server: options.server })
    : policy.evaluateJson(withServer(text, options.server), { now });
  console.log(JSON.stringify(result, null, 2));
  policy.free();
  return EXIT_OK;
}

function withServer(text: string, server: string | undefined): string {
  if (server === undefined) return text;
  try {
    const call = JSON.parse(text);
    if (typeof call === "object" && call !== null && !Array.isArray(call)) {
      return JSON.stringify({ ...call, server: call.server ?? server });
    }
  } catch {
    // Left for the engine to report.
  }
  return text;
}

export function test(files: string[]): number {
  if (files.length === 0) throw new UsageError("test needs one or more .suite.yaml files");
  let passed = 0;
  let failed = 0;
  for (const file of files) {
    const suite = loadSuite(file);
    const dir = path.dirname(file);
    const report = suite.run((name) => fs.readFileSync(path.join(dir, name), "utf8"));
    for (const c of report.cases) {
      if (c.passed) {
        passed++;
        continue;
      }
      failed++;
      console.log(`FAIL ${file}:${c.line} ${c.name}`);
      for (const failure of c.failures) console.log(`  ${failure}`);
    }
    suite.free();
  }
  console.log(`${passed} passed, ${failed} failed`);
  return failed > 0 ? EXIT_FAILED : EXIT_OK;
}

/** Prints a loader error with every diagnostic as `file:line:column`. */
function reported(error: unknown, file: string): unknown {
  if (!(error instanceof PolicyError || error instanceof SuiteError)) return error;
  for (const d of error.diagnostics) console.error(formatDiagnostic(file, d));
  console.error(`${file}: ${error.message}`);
  return new Reported(error.message);
}
