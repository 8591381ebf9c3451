// Editing a rule flips a decision, as the person types.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { sessionForThisFile } from '../support.mjs';

const session = sessionForThisFile();

test('typing a stricter approval into the deciding rule turns allow into deny', async () => {
  const pg = await session.open();
  assert.equal((await pg.verdict()).decision, 'allow');
  // mcp_read's `approval: auto` (the first `auto` in the file) becomes `block`, keystroke by keystroke.
  await pg.deleteInPolicy('auto');
  await pg.typeInPolicyAfter('risk_level: low\n    approval: ', 'block');
  await pg.waitForDecision('deny');
  const verdict = await pg.verdict();
  assert.equal(verdict.rule, 'mcp_read');
  assert.equal(verdict.level, 'low');
  assert.match(verdict.reason, /Denied by rule `mcp_read`/);
  const scenarios = await pg.scenarios();
  const read = scenarios.find((s) => s.name.startsWith('read_file on dev-filesystem'));
  assert.equal(read.passed, false);
  assert.deepEqual(read.actual, ['deny']);
  assert.match(read.failures.join(' '), /decision: expected allow, got deny/);
  assert.match(await pg.scenarioSummary(), /5 of 6 pass · 1 failing/);
  await pg.screenshot('edited');
  await pg.close();
});

test('moving the call to another tool changes which rule decides and the highlight', async () => {
  const pg = await session.open();
  await pg.setCallField('tool', 'delete_file');
  await pg.waitForDecision('deny');
  const verdict = await pg.verdict();
  assert.equal(verdict.rule, 'mcp_delete');
  assert.deepEqual(verdict.trace.map((s) => [s.rule, s.matched]), [
    ['mcp_read', false], ['mcp_list', false], ['mcp_write', false], ['mcp_delete', true],
  ]);
  assert.match(verdict.trace[0].text, /match\.type wants `read_file`; the call has `delete_file`/);
  assert.deepEqual(await pg.ruleLines(), [19, 20, 21, 22]);
  await pg.close();
});

test('a new rule above the others takes over, and "add current call" pins the new behaviour', async () => {
  const pg = await session.open();
  await pg.typeInPolicyAfter('rules:', '\n- name: no_reports\nmatch: { type: read_file }\nconditions: { param_glob: { path: "*.csv" } }\napproval: approve');
  await pg.waitForDecision('require_approval');
  assert.equal((await pg.verdict()).rule, 'no_reports');
  await pg.addCurrentCall();
  const scenarios = await pg.scenarios();
  assert.equal(scenarios.length, 7);
  assert.equal(scenarios[6].passed, true);
  assert.match(scenarios[6].name, /read_file on dev-filesystem → require approval/);
  await pg.close();
});
