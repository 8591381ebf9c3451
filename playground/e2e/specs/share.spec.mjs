// A share link opened in a fresh page restores the same state; so does a reload (autosave).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { sessionForThisFile } from '../support.mjs';

const session = sessionForThisFile();

async function state(pg) {
  return {
    policy: await pg.policy(),
    call: await pg.call(),
    scenarios: (await pg.scenarios()).map((s) => [s.name, s.passed, s.actual]),
    verdict: await pg.verdict(),
  };
}

test('a share link opened in a fresh browser context restores policy, scenarios, call and verdicts', async () => {
  const pg = await session.open();
  await pg.choosePreset('sql-governance');
  await pg.typeInPolicyAfter('rules:', '\n# shared with a note: ünïcode ✓');
  await pg.setCallField('arguments', '{"query": "DELETE FROM sessions WHERE id = 1", "database": "production"}');
  await pg.waitForDecision('require_approval');
  const count = (await pg.scenarios()).length;
  await pg.addCurrentCall();
  const before = await state(pg);
  assert.equal(before.scenarios.length, count + 1);
  assert.equal(before.verdict.rule, 'production_changes_need_a_dba');
  const link = await pg.share();
  assert.ok(link.startsWith(session.url + '#s='), link);
  assert.equal(await pg.page.evaluate(() => location.href), link, 'the address bar holds the link too');
  await pg.screenshot('shared');

  const fresh = await session.open(link.slice(session.url.length));
  assert.deepEqual(await state(fresh), before);
  assert.equal(await fresh.page.locator('[data-testid="preset-select"]').inputValue(), 'sql-governance');
  // The save comes a moment after the page settles.
  await fresh.page.waitForFunction(() => localStorage.length > 0);
  assert.equal(await fresh.page.evaluate(() => localStorage.length), 1, 'the fresh page saved the state it opened');
  await fresh.close();
  await pg.close();
});

test('a reload restores the autosaved state', async () => {
  const context = await session.browser.newContext();
  const page = await context.newPage();
  await page.goto(session.url);
  await page.locator('[data-testid="policy-input"]').fill('version: "1"\nrules:\n  - name: only\n    approval: block\n');
  await page.waitForFunction(() => (localStorage.getItem('portcullis-playground') ?? '').includes('name: only'));
  await page.goto(session.url);
  await page.locator('[data-testid="verdict"] [data-testid="decision"]').waitFor();
  assert.match(await page.locator('[data-testid="policy-input"]').inputValue(), /name: only/);
  assert.equal(await page.locator('[data-testid="verdict"] [data-testid="decision"]').getAttribute('data-decision'), 'deny');
  await context.close();
});

test('a damaged link says so and still shows a working playground', async () => {
  const pg = await session.open('#s=bm90IGEgc3RhdGU');
  assert.match(await pg.page.locator('[data-testid="notice-text"]').textContent(), /could not be opened/);
  assert.equal((await pg.verdict()).decision, 'allow');
  await pg.close();
});

test('opening a link keeps your own autosaved work one click away', async () => {
  const other = await session.open();
  await other.choosePreset('payments-hours');
  const link = await other.share();
  await other.close();

  const pg = await session.open();
  await pg.setPolicy((await pg.policy()) + '# my own work\n');
  await pg.page.waitForFunction(() => (localStorage.getItem('portcullis-playground') ?? '').includes('# my own work'));
  await pg.page.goto(link);
  await pg.page.locator('[data-testid="notice-undo"]').waitFor();
  assert.match(await pg.policy(), /Payments and business hours/);
  assert.equal((await pg.page.locator('[data-testid="notice-undo"]').textContent()).trim(), 'Restore my work');
  await pg.page.locator('[data-testid="notice-undo"]').click();
  assert.match(await pg.policy(), /# my own work\n$/);
  // The same holds when the link is opened by a reload (the autosave still has the shared state's predecessor).
  await pg.page.waitForFunction(() => (localStorage.getItem('portcullis-playground') ?? '').includes('# my own work'));
  await pg.page.goto('about:blank');
  await pg.page.goto(link);
  await pg.page.locator('[data-testid="notice-undo"]').waitFor();
  assert.match(await pg.policy(), /Payments and business hours/);
  await pg.close();
});
