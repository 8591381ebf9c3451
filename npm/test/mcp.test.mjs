// portcullis/mcp with the real MCP TypeScript SDK: a real Client talking to
// a governed McpServer (and a low-level Server) over the in-memory
// transport and over stdio.
import assert from "node:assert/strict";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { test } from "node:test";

import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StdioClientTransport } from "@modelcontextprotocol/sdk/client/stdio.js";
import { InMemoryTransport } from "@modelcontextprotocol/sdk/inMemory.js";
import { Server } from "@modelcontextprotocol/sdk/server/index.js";
import { CallToolRequestSchema, ElicitRequestSchema, ListToolsRequestSchema } from "@modelcontextprotocol/sdk/types.js";
import { Policy, PolicyError } from "portcullis";
import { VERDICT_META_KEY, govern } from "portcullis/mcp";

import { fileServer } from "./fixtures/tools.mjs";
import { QUICKSTART, fixtures } from "./support/package.mjs";

async function connect(server, capabilities = {}) {
  const client = new Client({ name: "test-client", version: "1.0.0" }, { capabilities });
  const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
  await Promise.all([server.connect(serverSide), client.connect(clientSide)]);
  return client;
}

async function governed(options = {}, capabilities = {}) {
  const { server, ran } = fileServer();
  const decisions = [];
  govern(server, {
    policy: QUICKSTART,
    onDecision: (verdict, call, outcome) => decisions.push({ tool: call.tool, decision: verdict.decision, outcome }),
    ...options,
  });
  const client = await connect(server, capabilities);
  return { client, ran, decisions, server };
}

const call = (client, name, args = { path: "/data/report.csv" }) => client.callTool({ name, arguments: args });

test("an allowed call runs its handler", async () => {
  const { client, ran, decisions } = await governed();
  const result = await call(client, "read_file");
  assert.equal(result.isError, undefined);
  assert.match(result.content[0].text, /read_file ran/);
  assert.deepEqual(ran, ["read_file"]);
  assert.deepEqual(decisions, [{ tool: "read_file", decision: "allow", outcome: "allowed" }]);
  await client.close();
});

test("a denied call is an isError result the model can act on, and the handler never runs", async () => {
  const { client, ran, decisions } = await governed();
  const result = await call(client, "delete_file");
  assert.equal(result.isError, true);
  assert.match(result.content[0].text, /^Denied by policy: `delete_file` on server `dev-filesystem` was not run \(rule `mcp_delete`, code rule_block/);
  assert.match(result.content[0].text, /Do not retry/);
  assert.deepEqual(
    { ...result.structuredContent.portcullis, reason: undefined, riskScore: undefined },
    { decision: "deny", code: "rule_block", rule: "mcp_delete", riskLevel: "critical", reason: undefined, riskScore: undefined },
  );
  assert.equal(result._meta[VERDICT_META_KEY].rule, "mcp_delete");
  assert.deepEqual(ran, []);
  assert.deepEqual(decisions, [{ tool: "delete_file", decision: "deny", outcome: "denied" }]);
  await client.close();
});

test("the tool's declared annotations and the server's name reach the engine", async () => {
  const seen = [];
  const { client } = await governed({ onDecision: (verdict, c) => seen.push(c) });
  await call(client, "delete_file");
  assert.equal(seen[0].server, "dev-filesystem");
  assert.deepEqual(seen[0].annotations, { destructiveHint: true });
  assert.equal(seen[0].client, "test-client");
  await client.close();
});

test("trace: false leaves the trace out of the verdicts and changes no decision", async () => {
  for (const trace of [undefined, false]) {
    const verdicts = [];
    const { client, ran } = await governed({ trace, onDecision: (verdict) => verdicts.push(verdict) });
    const denied = await call(client, "delete_file");
    await call(client, "read_file");
    assert.deepEqual(ran, ["read_file"]);
    assert.deepEqual(
      verdicts.map((v) => v.decision),
      ["deny", "allow"],
    );
    assert.equal(verdicts[0].rule, "mcp_delete");
    const sent = denied._meta[VERDICT_META_KEY];
    if (trace === false) {
      assert.deepEqual(verdicts.map((v) => v.trace), [[], []]);
      assert.deepEqual(sent.trace, []);
    } else {
      // By default every rule up to the deciding one is listed, that one last.
      assert.ok(verdicts[0].trace.length >= 1);
      assert.equal(verdicts[0].trace.at(-1).rule, "mcp_delete");
      assert.equal(verdicts[0].trace.at(-1).matched, true);
      assert.deepEqual(sent.trace, verdicts[0].trace);
    }
    await client.close();
  }
});

test("require approval: the hook approves and the handler runs", async () => {
  const asked = [];
  const { client, ran, decisions } = await governed({
    onApprovalRequired: async (verdict, c) => {
      asked.push([verdict.rule, c.tool, c.arguments]);
      return true;
    },
  });
  const result = await call(client, "write_file", { path: "/data/a", content: "x" });
  assert.equal(result.isError, undefined);
  assert.deepEqual(asked, [["mcp_write", "write_file", { path: "/data/a", content: "x" }]]);
  assert.deepEqual(ran, ["write_file"]);
  assert.deepEqual(decisions.map((d) => d.outcome), ["approved"]);
  await client.close();
});

test("require approval: the hook declines with a reason and the handler does not run", async () => {
  const { client, ran, decisions } = await governed({
    onApprovalRequired: () => ({ approved: false, reason: "not during the freeze" }),
  });
  const result = await call(client, "write_file", { path: "/data/a", content: "x" });
  assert.equal(result.isError, true);
  assert.match(result.content[0].text, /needs approval .*rule `mcp_write`.* the approver declined \(not during the freeze\)/);
  assert.equal(result.structuredContent.portcullis.approval, "declined");
  assert.equal(result.structuredContent.portcullis.code, "rule_approve");
  assert.deepEqual(ran, []);
  assert.deepEqual(decisions.map((d) => d.outcome), ["not_approved"]);
  await client.close();
});

test("require approval: a hook that does not answer in time denies, and so does one that throws", async () => {
  const slow = await governed({ approvalTimeoutMs: 50, onApprovalRequired: () => new Promise(() => {}) });
  const late = await call(slow.client, "write_file", { path: "/a", content: "x" });
  assert.equal(late.structuredContent.portcullis.approval, "timed_out");
  assert.match(late.content[0].text, /no answer came within/);
  assert.deepEqual(slow.ran, []);
  await slow.client.close();
  const broken = await governed({ onApprovalRequired: () => { throw new Error("approver offline"); } });
  const failed = await call(broken.client, "write_file", { path: "/a", content: "x" });
  assert.equal(failed.structuredContent.portcullis.approval, "failed");
  assert.match(failed.content[0].text, /approver offline/);
  assert.deepEqual(broken.ran, []);
  await broken.client.close();
});

test("require approval with no approver: denied with a reason saying approval was needed", async () => {
  const { client, ran } = await governed();
  const result = await call(client, "write_file", { path: "/a", content: "x" });
  assert.equal(result.isError, true);
  assert.match(result.content[0].text, /needs a person's approval/);
  assert.equal(result.structuredContent.portcullis.approval, "unavailable");
  assert.deepEqual(ran, []);
  await client.close();
});

test("require approval through MCP elicitation: the user is asked through the client", async () => {
  for (const [answer, runs] of [
    [{ action: "accept", content: { approve: true } }, true],
    [{ action: "accept", content: { approve: false } }, false],
    [{ action: "decline" }, false],
  ]) {
    const hook = [];
    const { server, ran } = fileServer();
    govern(server, { policy: QUICKSTART, elicitApproval: true, onApprovalRequired: () => hook.push(1) && true });
    const client = new Client({ name: "asker", version: "1" }, { capabilities: { elicitation: { form: {} } } });
    const questions = [];
    client.setRequestHandler(ElicitRequestSchema, (request) => {
      questions.push(request.params.message);
      return answer;
    });
    const [a, b] = InMemoryTransport.createLinkedPair();
    await Promise.all([server.connect(b), client.connect(a)]);
    const result = await call(client, "write_file", { path: "/data/a", content: "x" });
    assert.equal(questions.length, 1);
    assert.match(questions[0], /`write_file` on server `dev-filesystem`.*needs your approval \(rule `mcp_write`/);
    assert.deepEqual(hook, [], "the client was asked instead of the hook");
    assert.equal(result.isError, runs ? undefined : true);
    assert.deepEqual(ran, runs ? ["write_file"] : []);
    await client.close();
  }
});

test("with elicitation on but a client that cannot elicit, the hook decides", async () => {
  const { client, ran } = await governed({ elicitApproval: true, onApprovalRequired: () => true });
  const result = await call(client, "write_file", { path: "/a", content: "x" });
  assert.equal(result.isError, undefined);
  assert.deepEqual(ran, ["write_file"]);
  await client.close();
});

test("tools/list can hide the tools the policy denies whatever their arguments", async () => {
  const policy = `version: "1"
defaults: { approval: approve }
rules:
  - name: no_deletes
    match: { type: "delete_*" }
    approval: block
  - name: small_renames_only
    match: { type: "rename_file" }
    conditions: { param_matches: { to: "^/tmp/" } }
    approval: auto
  - name: other_renames
    match: { type: "rename_file" }
    approval: block
`;
  const hidden = await governed({ policy, hideDeniedTools: true });
  const names = (await hidden.client.listTools()).tools.map((t) => t.name);
  assert.deepEqual(names, ["read_file", "list_files", "write_file", "rename_file"]);
  await hidden.client.close();
  const shown = await governed({ policy });
  assert.equal((await shown.client.listTools()).tools.length, 5);
  await shown.client.close();
});

test("tools registered after govern are governed too, and the same server cannot be governed twice", async () => {
  const { server, ran } = fileServer();
  govern(server, { policy: Policy.fromYaml(QUICKSTART) });
  server.registerTool("delete_all", { description: "Delete everything" }, async () => {
    ran.push("delete_all");
    return { content: [{ type: "text", text: "gone" }] };
  });
  assert.throws(() => govern(server, { policy: QUICKSTART }), /already governed/);
  const client = await connect(server);
  const result = await client.callTool({ name: "delete_all", arguments: {} });
  assert.equal(result.isError, true, "defaults: approve, and no approver");
  assert.deepEqual(ran, []);
  await client.close();
});

test("an invalid policy throws a PolicyError when governing", () => {
  const { server } = fileServer();
  assert.throws(() => govern(server, { policy: "rules: [" }), PolicyError);
});

test("a low-level Server is governed the same way", async () => {
  const server = new Server({ name: "prod-filesystem", version: "1" }, { capabilities: { tools: {} } });
  const ran = [];
  server.setRequestHandler(ListToolsRequestSchema, () => ({
    tools: [{ name: "read_file", inputSchema: { type: "object" }, annotations: { readOnlyHint: true } }],
  }));
  govern(server, { policy: QUICKSTART });
  server.setRequestHandler(CallToolRequestSchema, (request) => {
    ran.push(request.params.name);
    return { content: [{ type: "text", text: "ok" }] };
  });
  const client = await connect(server);
  const read = await client.callTool({ name: "read_file", arguments: { path: "/a" } });
  assert.equal(read.isError, undefined, "mcp_read matches first, whatever the server");
  const renamed = await client.callTool({ name: "rename_file", arguments: { path: "/a" } });
  assert.equal(renamed.isError, true);
  assert.equal(renamed.structuredContent.portcullis.rule, "prod_fs_block", "the server's own name reached the engine");
  await client.close();
  assert.deepEqual(ran, ["read_file"]);
});

test("over stdio: a governed server child process allows and denies", async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "portcullis-mcp-"));
  const log = path.join(dir, "ran.log");
  const policyFile = path.join(dir, "policy.yaml");
  fs.writeFileSync(policyFile, QUICKSTART);
  const transport = new StdioClientTransport({
    command: process.execPath,
    args: [path.join(fixtures, "governed-server.mjs")],
    env: { ...process.env, PORTCULLIS_TEST_LOG: log, PORTCULLIS_TEST_POLICY: policyFile },
    stderr: "pipe",
  });
  let stderr = "";
  transport.stderr.on("data", (chunk) => (stderr += chunk));
  const client = new Client({ name: "stdio-client", version: "1" });
  await client.connect(transport);
  const allowed = await call(client, "read_file");
  assert.match(allowed.content[0].text, /read_file ran/);
  const denied = await call(client, "delete_file");
  assert.equal(denied.isError, true);
  assert.equal(denied.structuredContent.portcullis.rule, "mcp_delete");
  await client.close();
  assert.deepEqual(fs.readFileSync(log, "utf8").trim().split("\n"), ["read_file"]);
  assert.match(stderr, /decision read_file allow allowed/);
  assert.match(stderr, /decision delete_file deny denied/);
  fs.rmSync(dir, { recursive: true, force: true });
});
