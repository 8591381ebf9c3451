// The shared corpus through the wasm: every suite under tests/, found at
// run time, must pass and give exactly the report the Rust engine gives.
import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";

import { loaderFor, rustReports, suiteFiles, testsDir } from "./package.mjs";

export async function corpus(t, { Suite }) {
  const files = suiteFiles();
  assert.ok(files.length > 0, `no suites under ${testsDir}`);
  const rust = rustReports();
  assert.deepEqual(Object.keys(rust).sort(), files, "Rust and JS see the same suites");
  let cases = 0;
  for (const file of files) {
    await t.test(file, () => {
      const suite = Suite.fromYaml(fs.readFileSync(path.join(testsDir, file), "utf8"));
      try {
        const report = suite.run(loaderFor(file));
        cases += report.cases.length;
        const failed = report.cases.filter((c) => !c.passed).map((c) => `${file}:${c.line} ${c.name}: ${c.failures.join("; ")}`);
        assert.deepEqual(failed, [], "every case passes through the wasm");
        assert.deepEqual(report, rust[file], "the wasm's report equals the Rust engine's, case for case");
      } finally {
        suite.free();
      }
    });
  }
  assert.ok(cases > 0);
}
