// Invalid YAML shows the error at its line, and the last good verdicts stay, marked stale.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { sessionForThisFile } from '../support.mjs';

const session = sessionForThisFile();

test('a YAML syntax error is shown at its line while the last verdict stays, marked stale', async () => {
  const pg = await session.open();
  const good = await pg.verdict();
  // An unclosed flow mapping on line 8.
  await pg.deleteInPolicy('"read_file" }');
  await pg.typeInPolicyAfter('match: { type: ', '"read_file"');
  await pg.page.waitForSelector('[data-testid="diagnostic"]');
  const diagnostics = await pg.diagnostics();
  assert.ok(diagnostics.length >= 1);
  assert.equal(diagnostics[0].severity, 'error');
  assert.ok([8, 9].includes(diagnostics[0].line), `reported at line ${diagnostics[0].line}: ${diagnostics[0].message}`);
  assert.ok((await pg.gutterLines('err')).includes(diagnostics[0].line), 'the gutter marks the line');
  assert.match(await pg.page.locator('[data-testid="policy-status"]').textContent(), /1 error/);
  const stale = await pg.verdict();
  assert.equal(stale.stale, true);
  assert.equal(stale.decision, good.decision);
  assert.equal(stale.rule, good.rule);
  assert.ok(await pg.page.locator('[data-testid="stale-banner"]').isVisible());
  assert.equal(await pg.page.locator('[data-testid="scenarios"]').getAttribute('data-stale'), 'true');
  assert.equal((await pg.scenarios()).length, 6, 'the scenario results stay visible');
  await pg.screenshot('invalid-yaml');
  // Fixing it brings fresh verdicts back.
  await pg.typeInPolicyAfter('match: { type: "read_file"', ' }');
  await pg.page.waitForFunction(() => document.querySelector('[data-testid="verdict"]').dataset.stale === 'false');
  assert.deepEqual(await pg.diagnostics(), []);
  await pg.close();
});

test('a policy error names the line, the text and gives help', async () => {
  const pg = await session.open();
  const hash = await pg.page.evaluate(() => location.hash);
  await pg.setPolicy('version: "1"\nrules:\n  - name: a\n    match: { tpye: read_file }\n    approval: sometimes\n');
  await pg.page.waitForSelector('[data-testid="diagnostic"]');
  const diagnostics = await pg.diagnostics();
  assert.deepEqual(diagnostics.map((d) => [d.line, d.severity]), [[4, 'error'], [5, 'error']]);
  assert.match(diagnostics[0].message, /tpye/);
  assert.ok(diagnostics[0].help, 'an unknown key comes with help');
  assert.match(diagnostics[1].message, /sometimes/);
  const underlined = await pg.page.locator('[data-testid="policy-highlight"] .err-mark').allTextContents();
  assert.ok(underlined.some((t) => t.includes('tpye')), underlined.join('|'));
  // Reopened with this text, no policy ever loaded: the verdict says what to do instead of going blank.
  // Wait until this text is saved (the link and the autosave are written together, a moment after
  // the change; on a busy machine an earlier save can land first).
  await pg.page.waitForFunction((h) => location.hash !== h && Object.values(localStorage).some((v) => v.includes('tpye')), hash);
  await pg.page.reload();
  await pg.page.waitForSelector('[data-testid="no-verdict"]');
  assert.match(await pg.page.locator('[data-testid="no-verdict"]').textContent(), /Fix the policy/);
  await pg.close();
});
