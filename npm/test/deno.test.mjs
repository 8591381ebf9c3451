// Deno (the npm binary) importing the package by name: its resolver picks
// the `deno` condition of the exports map.
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { test } from "node:test";

import { NOON, bin, pkgDir, testsDir } from "./support/package.mjs";

test("Deno imports portcullis and decides", () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "portcullis-deno-"));
  try {
    fs.mkdirSync(path.join(dir, "node_modules"));
    fs.symlinkSync(pkgDir, path.join(dir, "node_modules", "portcullis"), "dir");
    fs.writeFileSync(path.join(dir, "package.json"), JSON.stringify({ name: "deno-consumer", private: true, type: "module", dependencies: { portcullis: "*" } }));
    fs.writeFileSync(path.join(dir, "main.js"), `
import { Policy, PolicyError } from "portcullis";
const policy = Policy.fromYaml(Deno.readTextFileSync(${JSON.stringify(path.join(testsDir, "policies", "aegis-quickstart.yaml"))}));
const verdict = policy.evaluate({ tool: "delete_file", server: "dev-filesystem" }, { now: ${NOON} });
let error;
try { Policy.fromYaml("rules: ["); } catch (e) { error = { isPolicyError: e instanceof PolicyError, kind: e.diagnostics[0].kind }; }
console.log(JSON.stringify({ entry: import.meta.resolve("portcullis"), decision: verdict.decision, rule: verdict.rule, error }));
`);
    const out = execFileSync(bin("deno"), ["run", "--node-modules-dir=manual", "--allow-read", "main.js"], {
      cwd: dir,
      encoding: "utf8",
      env: { ...process.env, DENO_DIR: path.join(dir, ".deno"), DENO_NO_UPDATE_CHECK: "1", NO_COLOR: "1" },
    });
    const result = JSON.parse(out.trim().split("\n").pop());
    assert.match(result.entry, /\/web\/index\.js$/, "the deno condition picks the self-initialising web entry");
    assert.deepEqual([result.decision, result.rule], ["deny", "mcp_delete"]);
    assert.deepEqual(result.error, { isPolicyError: true, kind: "syntax" });
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
