// Choosing each preset shows its policy with all of its scenarios passing.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { sessionForThisFile } from '../support.mjs';

const session = sessionForThisFile();

test('every preset loads with its scenarios passing and a verdict for its first call', async () => {
  const pg = await session.open();
  const ids = await pg.presetIds();
  assert.ok(ids.length >= 5, ids.join(', '));
  for (const presetId of [...ids.slice(1), ids[0]]) {
    await pg.choosePreset(presetId);
    await pg.page.waitForFunction(
      (p) => document.querySelector('[data-testid="preset-select"]').value === p,
      presetId,
    );
    const scenarios = await pg.scenarios();
    assert.ok(scenarios.length >= 6, `${presetId}: ${scenarios.length} scenarios`);
    const failing = scenarios.filter((s) => !s.passed);
    assert.deepEqual(failing, [], `${presetId} has failing scenarios`);
    assert.match(await pg.scenarioSummary(), new RegExp(`^All ${scenarios.length} scenarios pass$`));
    assert.deepEqual(await pg.diagnostics(), [], `${presetId} has diagnostics`);
    const first = scenarios[0];
    const verdict = await pg.verdict();
    assert.equal(verdict.decision, first.actual[0], `${presetId}: the form holds the first scenario's call`);
    await pg.screenshot(`preset-${presetId}`);
  }
  assert.deepEqual(pg.errors, []);
  await pg.close();
});

test('a preset can be undone', async () => {
  const pg = await session.open();
  await pg.setPolicy((await pg.policy()) + '# my note\n');
  await pg.choosePreset('sql-governance');
  assert.match(await pg.policy(), /SQL governance/);
  await pg.page.locator('[data-testid="notice-undo"]').click();
  assert.match(await pg.policy(), /# my note\n$/);
  await pg.close();
});
