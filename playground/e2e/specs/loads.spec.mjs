// The page loads with a preset and its verdicts, from the local server only.
import assert from 'node:assert/strict';
import { copyFile } from 'node:fs/promises';
import { join } from 'node:path';
import { test } from 'node:test';
import { SCREENSHOTS, sessionForThisFile } from '../support.mjs';

const session = sessionForThisFile();

test('a first visit shows the Aegis quickstart with its verdict and passing scenarios', async () => {
  const pg = await session.open();
  const requests = [];
  pg.page.on('request', (r) => requests.push(r.url()));
  assert.equal(await pg.page.locator('[data-testid="preset-select"]').inputValue(), 'aegis-quickstart');
  assert.match(await pg.policy(), /name: mcp_read/);
  const verdict = await pg.verdict();
  assert.equal(verdict.decision, 'allow');
  assert.equal(verdict.rule, 'mcp_read');
  assert.equal(verdict.score, 20);
  assert.equal(verdict.level, 'low');
  assert.deepEqual(verdict.factors.map((f) => f.name), ['verb_read', 'filesystem']);
  assert.deepEqual(verdict.trace, [{ rule: 'mcp_read', matched: true, text: verdict.trace[0].text }]);
  assert.deepEqual(await pg.ruleLines(), [7, 8, 9, 10], 'the deciding rule is highlighted in the editor');
  const scenarios = await pg.scenarios();
  assert.equal(scenarios.length, 6);
  assert.ok(scenarios.every((s) => s.passed), JSON.stringify(scenarios));
  assert.equal(await pg.scenarioSummary(), 'All 6 scenarios pass');
  assert.match(await pg.page.locator('[data-testid="policy-status"]').textContent(), /Valid policy · 5 rules/);
  await pg.screenshot('loaded');
  if (process.env.README_SCREENSHOT) {
    await copyFile(join(SCREENSHOTS, 'loaded.png'), join(SCREENSHOTS, '..', '..', 'screenshot.png'));
  }
  assert.deepEqual(pg.errors, []);
  await pg.close();
});

test('everything the page loads comes from the local server', async () => {
  const context = await session.browser.newContext();
  const page = await context.newPage();
  const urls = [];
  page.on('request', (r) => urls.push(r.url()));
  await page.goto(session.url);
  await page.locator('[data-testid="verdict"] [data-testid="decision"]').waitFor();
  assert.ok(urls.length >= 3, urls.join('\n'));
  const foreign = urls.filter((u) => !u.startsWith(session.url) && !u.startsWith('data:'));
  assert.deepEqual(foreign, []);
  await context.close();
});

test('on a phone the panes stack in one readable column', async () => {
  const pg = await session.open('', { width: 390, height: 844 });
  const boxes = await Promise.all(
    ['.policy', '.verdict-pane', '.call'].map((s) => pg.page.locator(s).boundingBox()),
  );
  for (const box of boxes) {
    assert.ok(box.width <= 390 && box.width > 300, JSON.stringify(box));
  }
  assert.ok(boxes[0].y < boxes[1].y && boxes[1].y < boxes[2].y, 'policy, then verdict, then call');
  const overflow = await pg.page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  assert.ok(overflow <= 0, `the page scrolls sideways by ${overflow}px`);
  await pg.screenshot('phone');
  await pg.close();
});
