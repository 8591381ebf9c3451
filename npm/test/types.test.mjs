// `tsc --noEmit` on a small TypeScript consumer of the built package.
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import path from "node:path";
import { test } from "node:test";

import { bin, npmDir } from "./support/package.mjs";

test("a TypeScript consumer type-checks against the generated declarations", () => {
  const result = spawnSync(bin("tsc"), ["--noEmit", "-p", path.join(npmDir, "test", "types", "tsconfig.json")], {
    encoding: "utf8",
  });
  assert.equal(result.status, 0, `${result.stdout}${result.stderr}`);
});
