// `npx portcullis proxy` in front of a real MCP server child process, with
// the real SDK client on the other side, and raw JSON-RPC batches.
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { after, test } from "node:test";

import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StdioClientTransport } from "@modelcontextprotocol/sdk/client/stdio.js";
import { ElicitRequestSchema } from "@modelcontextprotocol/sdk/types.js";

import { QUICKSTART, fixtures, pkgDir } from "./support/package.mjs";

const cli = path.join(pkgDir, "cli", "portcullis.js");
const dir = fs.mkdtempSync(path.join(os.tmpdir(), "portcullis-proxy-"));
after(() => fs.rmSync(dir, { recursive: true, force: true }));

function policyFile(text, name = "policy.yaml") {
  const file = path.join(dir, name);
  fs.writeFileSync(file, text);
  return file;
}

async function proxied({ policy = QUICKSTART, flags = [], capabilities = {} } = {}) {
  const log = path.join(dir, `ran-${Math.random().toString(36).slice(2)}.log`);
  fs.writeFileSync(log, "");
  const transport = new StdioClientTransport({
    command: process.execPath,
    args: [cli, "proxy", "--policy", policyFile(policy), "--server-name", "dev-filesystem", ...flags, "--", process.execPath, path.join(fixtures, "plain-server.mjs")],
    env: { ...process.env, PORTCULLIS_TEST_LOG: log },
    stderr: "pipe",
  });
  const output = { stderr: "" };
  transport.stderr.on("data", (chunk) => (output.stderr += chunk));
  const client = new Client({ name: "claude-desktop", version: "1" }, { capabilities });
  await client.connect(transport);
  const ran = () => fs.readFileSync(log, "utf8").split("\n").filter(Boolean);
  return { client, ran, output };
}

test("allowed calls reach the server, denied ones are answered by the proxy, and decisions are logged", async () => {
  const { client, ran, output } = await proxied();
  assert.equal((await client.listTools()).tools.length, 5, "tools/list passes through");
  await client.ping();
  const read = await client.callTool({ name: "read_file", arguments: { path: "/data/a.csv" } });
  assert.match(read.content[0].text, /read_file ran/);
  const deleted = await client.callTool({ name: "delete_file", arguments: { path: "/data/a.csv" } });
  assert.equal(deleted.isError, true);
  assert.equal(deleted.structuredContent.portcullis.rule, "mcp_delete");
  assert.match(deleted.content[0].text, /^Denied by policy: `delete_file` on server `dev-filesystem`/);
  const write = await client.callTool({ name: "write_file", arguments: { path: "/a", content: "x" } });
  assert.equal(write.isError, true);
  assert.equal(write.structuredContent.portcullis.approval, "unavailable");
  await client.close();
  assert.deepEqual(ran(), ["read_file"]);
  assert.match(output.stderr, /portcullis: allow read_file on dev-filesystem \(rule mcp_read/);
  assert.match(output.stderr, /portcullis: deny delete_file on dev-filesystem \(rule mcp_delete, rule_block/);
  assert.match(output.stderr, /portcullis: require_approval write_file/);
});

test("--no-trace leaves the trace out of the verdict a refusal carries, and decides the same", async () => {
  for (const flags of [[], ["--no-trace"]]) {
    const { client, ran } = await proxied({ flags });
    const deleted = await client.callTool({ name: "delete_file", arguments: { path: "/data/a.csv" } });
    const read = await client.callTool({ name: "read_file", arguments: { path: "/data/a.csv" } });
    await client.close();
    assert.equal(deleted.isError, true);
    assert.equal(deleted.structuredContent.portcullis.rule, "mcp_delete");
    assert.match(read.content[0].text, /read_file ran/);
    assert.deepEqual(ran(), ["read_file"]);
    const trace = deleted._meta["dev.portcullis/verdict"].trace;
    if (flags.length > 0) assert.deepEqual(trace, []);
    else assert.equal(trace.at(-1).rule, "mcp_delete");
  }
});

test("without --server-name the server's own name (serverInfo.name) reaches the policy", async () => {
  const log = path.join(dir, "named.log");
  const transport = new StdioClientTransport({
    command: process.execPath,
    args: [cli, "proxy", "--policy", policyFile(QUICKSTART), "--", process.execPath, path.join(fixtures, "plain-server.mjs")],
    env: { ...process.env, PORTCULLIS_TEST_LOG: log },
    stderr: "pipe",
  });
  const client = new Client({ name: "c", version: "1" });
  await client.connect(transport);
  const result = await client.callTool({ name: "rename_file", arguments: { path: "/a", to: "/b" } });
  await client.close();
  assert.equal(result.structuredContent.portcullis.code, "defaults", "dev-filesystem is not prod-*");
  assert.equal(result._meta["dev.portcullis/verdict"].action.server, "dev-filesystem");
});

test("--hide-denied leaves out tools the policy always denies; --log json logs JSON lines", async () => {
  const { client, output } = await proxied({ flags: ["--hide-denied", "--log", "json"] });
  const names = (await client.listTools()).tools.map((t) => t.name);
  assert.deepEqual(names.sort(), ["list_files", "read_file", "rename_file", "write_file"]);
  await client.callTool({ name: "read_file", arguments: { path: "/a" } });
  await client.close();
  const line = output.stderr.split("\n").find((l) => l.startsWith("{"));
  assert.deepEqual(
    (({ tool, decision, rule, code }) => ({ tool, decision, rule, code }))(JSON.parse(line)),
    { tool: "read_file", decision: "allow", rule: "mcp_read", code: "rule_allow" },
  );
});

test("--approval elicit asks the user through the client", async () => {
  for (const approve of [true, false]) {
    const { client, ran } = await proxied({ flags: ["--approval", "elicit"], capabilities: { elicitation: { form: {} } } });
    const questions = [];
    client.setRequestHandler(ElicitRequestSchema, (request) => {
      questions.push(request.params.message);
      return { action: "accept", content: { approve } };
    });
    const result = await client.callTool({ name: "write_file", arguments: { path: "/a", content: "x" } });
    await client.close();
    assert.match(questions[0], /`write_file` on server `dev-filesystem`.*needs your approval/);
    assert.equal(result.isError, approve ? undefined : true);
    assert.deepEqual(ran(), approve ? ["write_file"] : []);
  }
});

/** Runs the proxy with raw lines on stdin; resolves with the lines it answered. */
function rawSession(lines, until, server = "plain-server.mjs") {
  const log = path.join(dir, "raw.log");
  fs.writeFileSync(log, "");
  const child = spawn(
    process.execPath,
    [cli, "proxy", "--policy", policyFile(QUICKSTART), "--server-name", "dev-filesystem", "--", process.execPath, path.join(fixtures, server)],
    { env: { ...process.env, PORTCULLIS_TEST_LOG: log }, stdio: ["pipe", "pipe", "pipe"] },
  );
  const answers = [];
  let buffer = "";
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill();
      reject(new Error(`no full answer; got ${JSON.stringify(answers)}`));
    }, 15_000);
    child.stdout.on("data", (chunk) => {
      buffer += chunk;
      let newline;
      while ((newline = buffer.indexOf("\n")) >= 0) {
        answers.push(JSON.parse(buffer.slice(0, newline)));
        buffer = buffer.slice(newline + 1);
      }
      if (until(answers)) {
        clearTimeout(timer);
        child.stdin.end();
        child.once("close", () => resolve({ answers, ran: fs.readFileSync(log, "utf8").split("\n").filter(Boolean) }));
      }
    });
    for (const line of lines) child.stdin.write(`${typeof line === "string" ? line : JSON.stringify(line)}\n`);
  });
}

const init = [
  { jsonrpc: "2.0", id: 1, method: "initialize", params: { protocolVersion: "2025-06-18", capabilities: {}, clientInfo: { name: "raw", version: "1" } } },
  { jsonrpc: "2.0", method: "notifications/initialized" },
];

test("a batch mixing allowed and denied calls: each is decided on its own", async () => {
  const batch = [
    { jsonrpc: "2.0", id: 10, method: "tools/call", params: { name: "read_file", arguments: { path: "/a" } } },
    { jsonrpc: "2.0", id: 11, method: "tools/call", params: { name: "delete_file", arguments: { path: "/a" } } },
    { jsonrpc: "2.0", id: 12, method: "tools/list" },
  ];
  const ids = (answers) => answers.flat().map((a) => a.id);
  const { answers, ran } = await rawSession([...init, batch], (a) => [10, 11, 12].every((id) => ids(a).includes(id)), "batch-server.mjs");
  const byId = new Map(answers.flat().map((a) => [a.id, a]));
  assert.match(byId.get(10).result.content[0].text, /read_file ran/);
  assert.equal(byId.get(11).result.isError, true);
  assert.equal(byId.get(11).result.structuredContent.portcullis.rule, "mcp_delete");
  assert.deepEqual(byId.get(12).result.tools.map((t) => t.name), ["read_file", "delete_file"]);
  const received = ran.map((line) => JSON.parse(line));
  const forwardedBatch = received.find(Array.isArray);
  assert.deepEqual(forwardedBatch, [batch[0], batch[2]], "the server got the batch without the denied call");
  assert.ok(!ran.some((line) => line.includes("delete_file") && line.includes("tools/call")));
});

test("lines that are not valid JSON-RPC are answered with an error and never forwarded", async () => {
  const lines = [
    ...init,
    "{not json",
    '{"jsonrpc":"2.0","id":20,"method":"tools/call","method":"ping","params":{"name":"delete_file"}}',
    { jsonrpc: "2.0", id: 21, method: "tools/call", params: { name: "delete_file", arguments: "rm -rf /" } },
    { jsonrpc: "2.0", id: 22, method: "TOOLS/CALL", params: { name: "delete_file", arguments: { path: "/a" } } },
  ];
  const { answers, ran } = await rawSession(lines, (a) => a.filter((x) => x.id !== 1).length >= 4);
  const rest = answers.filter((a) => a.id !== 1);
  assert.equal(rest.find((a) => a.id === null).error.code, -32700, "an unparseable line is a parse error");
  assert.equal(rest.find((a) => a.id === 20).error.code, -32600);
  assert.match(rest.find((a) => a.id === 20).error.message, /duplicate/);
  assert.equal(rest.find((a) => a.id === 21).result.isError, true);
  assert.equal(rest.find((a) => a.id === 22).result.isError, true, "a loosely spelled method is still a tool call");
  assert.deepEqual(ran, []);
});

test("the CLI: check, eval and test", async () => {
  const run = (...args) =>
    new Promise((resolve) => {
      const child = spawn(process.execPath, [cli, ...args], { stdio: ["pipe", "pipe", "pipe"] });
      let stdout = "";
      let stderr = "";
      child.stdout.on("data", (c) => (stdout += c));
      child.stderr.on("data", (c) => (stderr += c));
      child.once("close", (code) => resolve({ code, stdout, stderr }));
      child.stdin.end();
    });
  const good = policyFile(QUICKSTART, "good.yaml");
  const bad = policyFile('version: "1"\nrules:\n  - name: a\n    mach: {}\n', "bad.yaml");
  const checked = await run("check", good);
  assert.equal(checked.code, 0);
  assert.match(checked.stdout, /good\.yaml: 0 errors, 0 warnings/);
  const failed = await run("check", bad);
  assert.equal(failed.code, 1);
  assert.match(failed.stdout, /bad\.yaml:4:5: error: .*`mach`/);
  const json = await run("check", bad, "--json");
  assert.equal(JSON.parse(json.stdout).errors[0].line, 4);
  const callFile = policyFile(JSON.stringify({ tool: "delete_file", server: "dev-filesystem" }), "call.json");
  const evaluated = await run("eval", good, callFile, "--now", "2026-01-07T12:00:00Z");
  assert.equal(evaluated.code, 0);
  assert.equal(JSON.parse(evaluated.stdout).rule, "mcp_delete");
  const messageFile = policyFile('{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"rename_file"}}', "msg.json");
  const message = await run("eval", good, messageFile, "--server", "prod-filesystem");
  assert.equal(JSON.parse(message.stdout)[0].verdict.rule, "prod_fs_block");
  const loadFailed = await run("eval", bad, callFile);
  assert.equal(loadFailed.code, 1);
  assert.match(loadFailed.stderr, /bad\.yaml:4:5: error/);
  const suite = path.join(path.dirname(pkgDir), "..", "tests", "aegis", "quickstart.suite.yaml");
  const tested = await run("test", suite);
  assert.equal(tested.code, 0, tested.stdout);
  assert.match(tested.stdout, /^\d+ passed, 0 failed$/m);
  const usage = await run("frobnicate");
  assert.equal(usage.code, 2);
  assert.match(usage.stderr, /unknown command `frobnicate`/);
});
