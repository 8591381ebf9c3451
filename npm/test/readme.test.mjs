// The README's JS API examples run against the built package, and every
// `expression; // <JSON>` line in them is checked.
import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { test } from "node:test";

import { npmDir } from "./support/package.mjs";

const readme = fs.readFileSync(path.join(npmDir, "README.md"), "utf8");
const blocks = [...readme.matchAll(/```js\n([\s\S]*?)```/g)].map((m) => m[1]);

/** Turns `expr; // <JSON>` lines into assertions; other lines stay as they are. */
function withAssertions(code) {
  let checks = 0;
  const lines = code.split("\n").map((line) => {
    const m = line.match(/^(.+?);\s*\/\/ (.+)$/);
    if (!m) return line;
    try {
      const expected = JSON.parse(m[2]);
      checks++;
      return `__checks.push([${JSON.stringify(m[1])}, ${m[1]}, ${JSON.stringify(expected)}]);`;
    } catch {
      return line;
    }
  });
  return { code: lines.join("\n"), checks };
}

test("the README's API examples run and say what they print", async () => {
  const api = blocks.filter((b) => b.includes('from "portcullis"') || b.startsWith("const results = policy"));
  const [first, message] = [api[0], blocks.find((b) => b.startsWith("const results = policy.evaluateMessage"))];
  assert.ok(first && message, "the README has the API and evaluateMessage examples");
  const { code, checks } = withAssertions(`${first}\n${message}`);
  assert.ok(checks >= 6, `only ${checks} checked lines`);
  const file = path.join(npmDir, "test", `.readme-${process.pid}.mjs`);
  fs.writeFileSync(file, `export const __checks = [];\n${code}`);
  try {
    const { __checks } = await import(file);
    assert.equal(__checks.length, checks);
    for (const [expression, actual, expected] of __checks) assert.deepEqual(actual, expected, expression);
  } finally {
    fs.rmSync(file);
  }
});
