// Once loaded, the playground works with the network cut: it never asks the network for anything.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { sessionForThisFile } from '../support.mjs';

const session = sessionForThisFile();

test('with the network cut after load, editing, presets, pasting and sharing all work', async () => {
  const pg = await session.open();
  const requests = [];
  pg.page.on('request', (r) => requests.push(r.url()));
  await pg.page.context().setOffline(true);
  assert.equal(await pg.page.evaluate(() => navigator.onLine), false);

  await pg.setCallField('tool', 'write_file');
  await pg.waitForDecision('require_approval');
  await pg.replaceInPolicy('approve', 'block', 'name: mcp_write');
  await pg.waitForDecision('deny');

  await pg.choosePreset('ascend-risk');
  assert.deepEqual((await pg.scenarios()).filter((s) => !s.passed), []);
  await pg.paste(JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/call', params: { name: 'run_command', arguments: { command: 'rm -rf /' } } }));
  assert.equal((await pg.pasteResults())[0].decision, 'deny');
  const link = await pg.share();
  assert.match(link, /#s=/);
  await pg.screenshot('offline');

  assert.deepEqual(requests.filter((u) => !u.startsWith('data:') && !u.startsWith('blob:')), []);
  assert.deepEqual(pg.errors, []);
  await pg.close();
});
