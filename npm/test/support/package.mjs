// Where the built package is, and the shared corpus. Every test uses the
// package as a user would: `import "portcullis"` through its exports map,
// resolved by a `node_modules/portcullis` link to the built package. ESM
// resolves a test file's imports before this module's body runs, so the link
// must exist before the tests start: `npm test` runs this file first (pretest).
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

export const npmDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "..");
export const repoRoot = path.resolve(npmDir, "..");
export const testsDir = path.join(repoRoot, "tests");
export const pkgDir = path.resolve(process.env.PORTCULLIS_PKG ?? path.join(npmDir, "pkg"));
export const fixtures = path.join(npmDir, "test", "fixtures");
export const bin = (name) => path.join(npmDir, "node_modules", ".bin", name);

/** Links node_modules/portcullis to the built package (idempotent). */
export function linkPackage() {
  if (!fs.existsSync(path.join(pkgDir, "package.json"))) {
    throw new Error(`no built package in ${pkgDir}: run \`node build/build.mjs\` in npm/ first`);
  }
  const link = path.join(npmDir, "node_modules", "portcullis");
  let current;
  try {
    current = fs.realpathSync(link);
  } catch {
    current = undefined;
  }
  if (current !== fs.realpathSync(pkgDir)) {
    fs.rmSync(link, { recursive: true, force: true });
    fs.symlinkSync(pkgDir, link, "dir");
  }
}

linkPackage();

/** Every `*.suite.yaml` under tests/, found at run time, relative to tests/. */
export function suiteFiles(dir = testsDir, prefix = "") {
  const out = [];
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const rel = prefix ? `${prefix}/${entry.name}` : entry.name;
    if (entry.isDirectory()) out.push(...suiteFiles(path.join(dir, entry.name), rel));
    else if (entry.name.endsWith(".suite.yaml")) out.push(rel);
  }
  return out.sort();
}

/** Reads a file a suite names, relative to the suite. */
export function loaderFor(suiteFile) {
  const dir = path.dirname(path.join(testsDir, suiteFile));
  return (name) => fs.readFileSync(path.join(dir, name), "utf8");
}

/**
 * The Rust engine's reports on the same corpus: from $PORTCULLIS_RUST_CORPUS
 * (written once by scripts/test-npm.sh), or computed with cargo.
 */
export function rustReports() {
  const file = process.env.PORTCULLIS_RUST_CORPUS;
  if (file) return JSON.parse(fs.readFileSync(file, "utf8"));
  const json = execFileSync(
    "cargo",
    ["run", "--quiet", "-p", "portcullis-wasm", "--example", "corpus_report", "--", testsDir],
    { cwd: repoRoot, encoding: "utf8", maxBuffer: 256 * 1024 * 1024, stdio: ["ignore", "pipe", "inherit"] },
  );
  return JSON.parse(json);
}

/** Every suite's policy text and the calls of its cases, read by the Rust example. */
export function corpusCalls() {
  const json = execFileSync(
    "cargo",
    ["run", "--quiet", "-p", "portcullis-wasm", "--example", "corpus_report", "--", "--calls", testsDir],
    { cwd: repoRoot, encoding: "utf8", maxBuffer: 64 * 1024 * 1024, stdio: ["ignore", "pipe", "inherit"] },
  );
  return JSON.parse(json);
}

/**
 * Runs `check(policy, call)` on every call of the corpus, one subtest of
 * `t` per suite with its policy compiled once by `Policy` (the package's
 * class, as the test imported it) and freed; `check` returns how many
 * comparisons it made, and the total is returned.
 */
export async function eachCorpusCall(t, Policy, check) {
  let checked = 0;
  for (const [file, { policy: source, calls }] of Object.entries(corpusCalls())) {
    await t.test(file, () => {
      const policy = Policy.fromYaml(source);
      try {
        for (const call of calls) checked += check(policy, call);
      } finally {
        policy.free();
      }
    });
  }
  return checked;
}

export const QUICKSTART = fs.readFileSync(path.join(testsDir, "policies", "aegis-quickstart.yaml"), "utf8");

/** Wednesday 2026-01-07, 12:00 UTC, the corpus's default time. */
export const NOON = Date.UTC(2026, 0, 7, 12);
