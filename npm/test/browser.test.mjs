// The web build in headless Chromium (Debian's, driven by playwright-core):
// the self-initialising entry through an import map, the explicit-init
// subpath, and the whole corpus, which must give the Rust engine's reports.
import assert from "node:assert/strict";
import fs from "node:fs";
import http from "node:http";
import path from "node:path";
import { after, before, test } from "node:test";

import { chromium } from "playwright-core";
import { Suite } from "portcullis";

import { NOON, QUICKSTART, loaderFor, pkgDir, rustReports, suiteFiles, testsDir } from "./support/package.mjs";

const CHROMIUM_ARGS = [
  "--no-sandbox", "--disable-dev-shm-usage", "--disable-background-networking",
  "--disable-component-update", "--disable-sync", "--no-first-run",
];
const TYPES = { ".js": "text/javascript", ".wasm": "application/wasm", ".html": "text/html", ".json": "application/json" };
const PAGE = `<!doctype html><meta charset="utf-8"><title>portcullis</title>
<script type="importmap">{ "imports": { "portcullis": "/pkg/web/index.js", "portcullis/web": "/pkg/web/init.js" } }</script>`;

let server;
let browser;
let page;
let origin;

before(async () => {
  server = http.createServer((request, response) => {
    const url = new URL(request.url, "http://127.0.0.1");
    if (url.pathname === "/") {
      response.writeHead(200, { "content-type": "text/html" }).end(PAGE);
      return;
    }
    const file = path.normalize(path.join(pkgDir, url.pathname.replace(/^\/pkg\//, "/")));
    if (!url.pathname.startsWith("/pkg/") || !file.startsWith(pkgDir) || !fs.existsSync(file)) {
      response.writeHead(404).end();
      return;
    }
    response.writeHead(200, { "content-type": TYPES[path.extname(file)] ?? "application/octet-stream" });
    fs.createReadStream(file).pipe(response);
  });
  await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
  origin = `http://127.0.0.1:${server.address().port}`;
  browser = await chromium.launch({ executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium", args: CHROMIUM_ARGS });
  page = await browser.newPage();
  const errors = [];
  page.on("pageerror", (e) => errors.push(e));
  await page.goto(origin);
  assert.deepEqual(errors, []);
});

after(async () => {
  await browser?.close();
  server?.close();
});

test("the self-initialising entry decides in the browser", async () => {
  const result = await page.evaluate(
    async ({ policy, now }) => {
      const { Policy, PolicyError } = await import("portcullis");
      const p = Policy.fromYaml(policy);
      const verdict = p.evaluate({ tool: "delete_file", server: "dev-filesystem" }, { now: new Date(now) });
      const cyclic = {};
      cyclic.self = cyclic;
      const bad = p.evaluate({ tool: "read_file", arguments: cyclic }, { now });
      let error;
      try {
        Policy.fromYaml("rules: [");
      } catch (e) {
        error = { isPolicyError: e instanceof PolicyError, line: e.diagnostics[0].line };
      }
      const again = p.evaluate({ tool: "read_file" }, { now }).decision;
      p.free();
      return { decision: verdict.decision, rule: verdict.rule, bad: bad.decision, error, again };
    },
    { policy: QUICKSTART, now: NOON },
  );
  assert.deepEqual(result, { decision: "deny", rule: "mcp_delete", bad: "deny", error: { isPolicyError: true, line: 1 }, again: "allow" });
});

test("the explicit-init subpath works once init() has run", async () => {
  const result = await page.evaluate(async (policy) => {
    const { init, Policy } = await import("portcullis/web");
    await init();
    return Policy.fromYaml(policy).ruleNames;
  }, QUICKSTART);
  assert.deepEqual(result, ["mcp_read", "mcp_list", "mcp_write", "mcp_delete", "prod_fs_block"]);
});

test("the whole corpus in Chromium gives the Rust engine's reports", async () => {
  const rust = rustReports();
  const suites = suiteFiles().map((file) => {
    const text = fs.readFileSync(path.join(testsDir, file), "utf8");
    const suite = Suite.fromYaml(text);
    const load = loaderFor(file);
    const policies = Object.fromEntries(suite.policyFiles().map((name) => [name, load(name)]));
    suite.free();
    return { file, text, policies };
  });
  const reports = await page.evaluate(async (suites) => {
    const { Suite } = await import("portcullis");
    const out = {};
    for (const { file, text, policies } of suites) {
      const suite = Suite.fromYaml(text);
      out[file] = suite.run((name) => policies[name]);
      suite.free();
    }
    return out;
  }, suites);
  assert.equal(Object.keys(reports).length, suites.length);
  for (const { file } of suites) assert.deepEqual(reports[file], rust[file], file);
});

test("in the browser a panic in the wasm is an internal_error deny; a fresh instance takes over", async () => {
  const result = await page.evaluate(
    async ({ policy, now }) => {
      const { Policy, EngineError } = await import("portcullis");
      // The glue the entry uses (same URL, same module): the hidden testing hook.
      const { __portcullisPanicAfter } = await import("/pkg/web/portcullis.js");
      const p = Policy.fromYaml(policy);
      const call = { tool: "read_file", server: "dev-filesystem" };
      __portcullisPanicAfter(1);
      const trapped = p.evaluate(call, { now });
      __portcullisPanicAfter(1);
      let loader;
      try {
        Policy.fromYaml(policy);
      } catch (e) {
        loader = e instanceof EngineError && e.cause instanceof WebAssembly.RuntimeError;
      }
      const after = p.evaluate(call, { now });
      return { trapped: [trapped.decision, trapped.code], loader, after: [after.decision, after.rule] };
    },
    { policy: QUICKSTART, now: NOON },
  );
  assert.deepEqual(result, { trapped: ["deny", "internal_error"], loader: true, after: ["allow", "mcp_read"] });
});
