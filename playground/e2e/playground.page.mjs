// The page object: what a person does on the playground, and what they see.
import { join } from 'node:path';
import { SCREENSHOTS } from './support.mjs';

const id = (name) => `[data-testid="${name}"]`;

export class PlaygroundPage {
  constructor(page, baseUrl) {
    this.page = page;
    this.baseUrl = baseUrl;
    this.errors = [];
    page.on('pageerror', (e) => this.errors.push(e.message));
  }

  /** Opens the playground and waits for the first verdict. */
  async open(hash = '') {
    await this.page.goto(this.baseUrl + hash);
    await this.page.locator(`${id('verdict')} ${id('decision')}`).waitFor();
  }

  get policyInput() {
    return this.page.locator(id('policy-input'));
  }

  async policy() {
    return this.policyInput.inputValue();
  }

  /** Replaces the whole policy text. */
  async setPolicy(text) {
    await this.policyInput.fill(text);
  }

  /** Puts the caret after the first `text` in the policy and types `keys` there. */
  async typeInPolicyAfter(text, keys) {
    const value = await this.policy();
    const at = value.indexOf(text);
    if (at < 0) throw new Error(`the policy has no ${JSON.stringify(text)}`);
    const offset = at + text.length;
    await this.policyInput.evaluate((el, n) => { el.focus(); el.setSelectionRange(n, n); }, offset);
    await this.page.keyboard.type(keys);
  }

  /** Selects `text` in the policy (its first occurrence after `after`) and deletes it with Backspace. */
  async deleteInPolicy(text, after = '') {
    await this.selectInPolicy(text, after);
    await this.page.keyboard.press('Backspace');
  }

  /** Selects `text` (its first occurrence after `after`) and types `keys` over it. */
  async replaceInPolicy(text, keys, after = '') {
    await this.selectInPolicy(text, after);
    await this.page.keyboard.type(keys);
  }

  async selectInPolicy(text, after = '') {
    const value = await this.policy();
    const from = value.indexOf(after);
    const at = from < 0 ? -1 : value.indexOf(text, from + after.length);
    if (at < 0) throw new Error(`the policy has no ${JSON.stringify(text)} after ${JSON.stringify(after)}`);
    await this.policyInput.evaluate((el, [a, b]) => { el.focus(); el.setSelectionRange(a, b); }, [at, at + text.length]);
  }

  async choosePreset(presetId) {
    await this.page.locator(id('preset-select')).selectOption(presetId);
  }

  async presetIds() {
    return this.page.locator(`${id('preset-select')} option:not([disabled])`).evaluateAll((os) => os.map((o) => o.value));
  }

  /** The verdict on the form's call. */
  async verdict() {
    const v = this.page.locator(id('verdict'));
    return {
      decision: await v.locator(id('decision')).getAttribute('data-decision'),
      rule: (await v.locator(id('rule')).textContent()).trim(),
      score: Number(await v.locator(id('score')).textContent()),
      level: (await v.locator(id('risk-level')).textContent()).trim(),
      reason: (await v.locator(id('reason')).textContent()).trim(),
      stale: (await v.getAttribute('data-stale')) === 'true',
      factors: await v.locator(id('factor')).evaluateAll((rows) => rows.map((r) => ({ name: r.dataset.name, points: Number(r.dataset.points) }))),
      trace: await v.locator(id('trace-step')).evaluateAll((rows) => rows.map((r) => ({ rule: r.dataset.rule, matched: r.dataset.matched === 'true', text: r.textContent }))),
    };
  }

  /** Waits until the verdict's decision is `decision`. */
  async waitForDecision(decision, timeout = 5000) {
    await this.page.waitForFunction(
      (d) => document.querySelector('[data-testid="verdict"] [data-testid="decision"]')?.dataset.decision === d,
      decision,
      { timeout },
    );
  }

  /** Each scenario row: its name, whether it passed, and the actual decisions. */
  async scenarios() {
    return this.page.locator(id('scenario-row')).evaluateAll((rows) =>
      rows.map((r) => ({
        name: r.querySelector('[data-testid="scenario-name"]').value,
        passed: r.dataset.passed === 'true',
        actual: [...r.querySelectorAll('[data-testid="scenario-actual"]')].map((b) => b.dataset.decision),
        failures: [...r.querySelectorAll('[data-testid="scenario-failure"]')].map((f) => f.textContent),
      })),
    );
  }

  async scenarioSummary() {
    return (await this.page.locator(id('scenario-summary')).textContent()).trim();
  }

  async diagnostics() {
    return this.page.locator(id('diagnostic')).evaluateAll((items) =>
      items.map((d) => ({
        line: Number(d.dataset.line),
        severity: d.dataset.severity,
        message: d.querySelector('[data-testid="diagnostic-message"]').textContent,
        help: d.querySelector('[data-testid="diagnostic-help"]')?.textContent ?? null,
      })),
    );
  }

  /** The line numbers the gutter marks with `cls` (`err`, `warn`, `rule`). */
  async gutterLines(cls) {
    return this.page.locator(`${id('policy-gutter')} .g.${cls}`).evaluateAll((gs) => gs.map((g) => Number(g.textContent)));
  }

  /** The 1-based lines the editor highlights as the deciding rule. */
  async ruleLines() {
    return this.page.locator(`${id('policy-highlight')} .l`).evaluateAll((ls) =>
      ls.flatMap((l, i) => (l.classList.contains('rule') ? [i + 1] : [])),
    );
  }

  async paste(text) {
    await this.page.locator(id('paste-input')).fill(text);
  }

  async pasteResults() {
    return this.page.locator(id('paste-result')).evaluateAll((rows) =>
      rows.map((r) => ({ kind: r.dataset.kind, decision: r.dataset.decision, text: r.textContent })),
    );
  }

  async call() {
    return {
      server: await this.page.locator(id('call-server')).inputValue(),
      tool: await this.page.locator(id('call-tool')).inputValue(),
      arguments: await this.page.locator(id('call-arguments')).inputValue(),
    };
  }

  async setCallField(field, value) {
    await this.page.locator(id(`call-${field}`)).fill(value);
  }

  async toolSuggestions() {
    return this.page.locator('#known-tools option').evaluateAll((os) => os.map((o) => o.value));
  }

  async addCurrentCall() {
    await this.page.locator(id('add-current')).click();
  }

  /** Clicks Share and returns the link it shows. */
  async share() {
    await this.page.locator(id('share-button')).click();
    const input = this.page.locator(id('share-url'));
    await input.waitFor();
    return input.inputValue();
  }

  async screenshot(name, fullPage = true) {
    await this.page.screenshot({ path: join(SCREENSHOTS, `${name}.png`), fullPage });
  }

  async close() {
    await this.page.context().close();
  }
}
