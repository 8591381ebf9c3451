// Pasting MCP JSON-RPC evaluates it: requests, batches, and tools/list imports.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { sessionForThisFile } from '../support.mjs';

const session = sessionForThisFile();

const request = (id, name, args) => ({ jsonrpc: '2.0', id, method: 'tools/call', params: { name, arguments: args } });

test('a pasted tools/call request is decided and loaded into the form', async () => {
  const pg = await session.open();
  await pg.paste(JSON.stringify(request(7, 'delete_file', { path: '/data/report.csv' })));
  const results = await pg.pasteResults();
  assert.equal(results.length, 1);
  assert.deepEqual([results[0].kind, results[0].decision], ['tool call', 'deny']);
  assert.match(results[0].text, /mcp_delete/);
  await pg.waitForDecision('deny');
  assert.equal((await pg.call()).tool, 'delete_file');
  assert.equal((await pg.verdict()).rule, 'mcp_delete');
  await pg.screenshot('pasted-request');
  await pg.close();
});

test('a batch is decided message by message, and what is not a call passes without a decision', async () => {
  const pg = await session.open();
  await pg.setCallField('server', 'prod-filesystem');
  await pg.paste(JSON.stringify([
    request(1, 'read_file', { path: '/a' }),
    request(2, 'move_file', { source: '/a', destination: '/b' }),
    { jsonrpc: '2.0', method: 'notifications/initialized' },
    { jsonrpc: '2.0', id: 3 },
  ]));
  const results = await pg.pasteResults();
  assert.deepEqual(results.map((r) => [r.kind, r.decision]), [
    ['tool call', 'allow'],
    ['tool call', 'deny'],
    ['not a tool call', 'none'],
    ['invalid', 'deny'],
  ]);
  assert.match(results[1].text, /prod_fs_block/);
  await pg.close();
});

test('a tools/list response imports the tools and their annotations into the form', async () => {
  const pg = await session.open();
  await pg.paste(JSON.stringify({
    jsonrpc: '2.0', id: 1, result: { tools: [
      { name: 'archive_bucket', description: 'Archive a bucket', annotations: { destructiveHint: true, openWorldHint: false },
        inputSchema: { type: 'object', properties: { bucket: { type: 'string', examples: ['logs-2025'] } } } },
      { name: 'peek', annotations: { readOnlyHint: true } },
    ] },
  }));
  await pg.page.waitForSelector('[data-testid="imported-tools"]');
  assert.ok((await pg.toolSuggestions()).includes('archive_bucket'));
  assert.match(await pg.page.locator('[data-testid="notice-text"]').textContent(), /Imported 2 tools/);
  await pg.setCallField('arguments', '');
  await pg.setCallField('tool', 'archive_bucket');
  assert.equal(await pg.page.locator('[data-testid="hint-destructiveHint"]').inputValue(), 'true');
  assert.equal(await pg.page.locator('[data-testid="hint-openWorldHint"]').inputValue(), 'false');
  assert.deepEqual(JSON.parse((await pg.call()).arguments), { bucket: 'logs-2025' });
  const verdict = await pg.verdict();
  assert.ok(verdict.factors.some((f) => f.name === 'annotation_destructive'), JSON.stringify(verdict.factors));
  await pg.close();
});
