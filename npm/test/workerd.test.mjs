// The package in a real workerd (Cloudflare's runtime, the npm binary):
// esbuild bundles a worker with the `workerd` condition, workerd serves it
// on 127.0.0.1, and the test asks it over HTTP.
import assert from "node:assert/strict";
import { execFileSync, spawn } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { after, before, test } from "node:test";

import { NOON, bin, fixtures, npmDir } from "./support/package.mjs";

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "portcullis-workerd-"));
let server;
let base;

function freePort() {
  return new Promise((resolve, reject) => {
    const probe = net.createServer().listen(0, "127.0.0.1", () => {
      const { port } = probe.address();
      probe.close(() => resolve(port));
    });
    probe.on("error", reject);
  });
}

before(async () => {
  execFileSync(bin("esbuild"), [
    path.join(fixtures, "worker.js"), "--bundle", "--format=esm", "--conditions=workerd,worker,browser",
    "--loader:.wasm=copy", "--loader:.yaml=text", `--outdir=${dir}`, "--log-level=warning",
  ], { cwd: npmDir });
  const wasm = fs.readdirSync(dir).find((f) => f.endsWith(".wasm"));
  assert.ok(wasm, "esbuild copied the .wasm next to the bundle");
  const port = await freePort();
  fs.writeFileSync(path.join(dir, "config.capnp"), `using Workerd = import "/workerd/workerd.capnp";
const config :Workerd.Config = (
  services = [ (name = "main", worker = .worker) ],
  sockets = [ (name = "http", address = "127.0.0.1:${port}", http = (), service = "main") ],
);
const worker :Workerd.Worker = (
  modules = [
    (name = "worker.js", esModule = embed "worker.js"),
    (name = "${wasm}", wasm = embed "${wasm}"),
  ],
  compatibilityDate = "2025-09-01",
);
`);
  server = spawn(bin("workerd"), ["serve", path.join(dir, "config.capnp")], { stdio: ["ignore", "inherit", "inherit"] });
  base = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 200; i++) {
    try {
      await fetch(base);
      return;
    } catch {
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  throw new Error("workerd did not start");
});

after(() => {
  server?.kill();
  fs.rmSync(dir, { recursive: true, force: true });
});

const post = (route, body) =>
  fetch(`${base}${route}`, { method: "POST", body: typeof body === "string" ? body : JSON.stringify(body) });

test("workerd compiles the policy once and answers evaluations over HTTP", async () => {
  assert.deepEqual((await (await fetch(base)).json()).rules, ["mcp_read", "mcp_list", "mcp_write", "mcp_delete", "prod_fs_block"]);
  const cases = [
    [{ tool: "read_file", server: "dev-filesystem" }, "allow", "mcp_read"],
    [{ tool: "delete_file", server: "dev-filesystem" }, "deny", "mcp_delete"],
    [{ tool: "rename_file", server: "prod-filesystem" }, "deny", "prod_fs_block"],
    [{ tool: "write_file", server: "dev-filesystem" }, "require_approval", "mcp_write"],
  ];
  for (const [call, decision, rule] of cases) {
    const verdict = await (await post("/evaluate", { call, now: NOON })).json();
    assert.deepEqual([verdict.decision, verdict.rule], [decision, rule], JSON.stringify(call));
  }
});

test("in workerd a bad call is a deny and a bad policy a PolicyError, and the isolate keeps working", async () => {
  const bad = await (await post("/evaluate", { call: { tool: 5 }, now: NOON })).json();
  assert.equal(bad.decision, "deny");
  assert.equal(bad.code, "invalid_call");
  const rejected = await post("/load", "rules: [");
  assert.equal(rejected.status, 422);
  assert.equal((await rejected.json()).diagnostics[0].kind, "syntax");
  const ok = await (await post("/evaluate", { call: { tool: "read_file" }, now: NOON })).json();
  assert.equal(ok.decision, "allow");
});

test("in workerd a panic in the wasm is an internal_error deny, and the same Policy then answers as before", async () => {
  const call = { tool: "read_file", server: "dev-filesystem" };
  const { trapped, loader, after } = await (await post("/trap", { call, now: NOON })).json();
  assert.deepEqual([trapped.decision, trapped.code], ["deny", "internal_error"]);
  assert.match(trapped.reason, /internal error/);
  assert.equal(loader, "EngineError");
  assert.deepEqual([after.decision, after.rule], ["allow", "mcp_read"]);
  const again = await (await post("/evaluate", { call: { tool: "delete_file", server: "dev-filesystem" }, now: NOON })).json();
  assert.deepEqual([again.decision, again.rule], ["deny", "mcp_delete"]);
});
