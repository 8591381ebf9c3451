// The keystroke benchmark: a 200-rule policy with 50 scenarios, opened in
// the release build in headless Chromium; each "keystroke" replaces the
// editor's text and dispatches `input`, as typing does. Measured in the page:
// the time until every derived view (verdict, 50 scenario rows, editor
// highlighting, diagnostics) is updated, and until the next frame.
//   node bench.mjs DIST [KEYSTROKES]   prints a JSON report
import { deflateRawSync } from 'node:zlib';
import { chromium } from 'playwright-core';
import { serve } from './server.mjs';
import { CHROMIUM_ARGS } from './support.mjs';

const RULES = 200;
const SCENARIOS = 50;

/** A policy of `RULES` rules of five kinds: globs, lists, numeric and regex conditions, time windows. */
export function bigPolicy() {
  const lines = [
    '# A 200-rule policy for the keystroke benchmark.',
    'version: "1"',
    'defaults: { risk_level: medium, approval: approve }',
    'servers:',
    '  "prod-*": restricted',
    '  "dev-*": trusted',
    'risk:',
    '  sensitive_resources: ["*/secrets/*"]',
    'rules:',
  ];
  for (let i = 0; i < RULES; i++) {
    switch (i % 5) {
      case 0:
        lines.push(`  - name: tool_${i}`, `    match: { tool: "svc${i}_*", server: ["prod-*", "staging-*"] }`, '    risk_level: high', '    approval: approve');
        break;
      case 1:
        lines.push(`  - name: amount_${i}`, `    match: { tool: "pay${i}" }`, `    conditions: { param_gt: { amount: ${i * 10} } }`, '    approval: block');
        break;
      case 2:
        lines.push(`  - name: sql_${i}`, `    match: { namespace: database, resource: "database://db${i}" }`, '    conditions: { param_matches: { query: "(?i)\\\\b(drop|truncate)\\\\b" } }', '    approval: block');
        break;
      case 3:
        lines.push(`  - name: path_${i}`, `    match: { verb: write, resource: "/srv/app${i}/*" }`, '    approval: approve', '    approval_level: 3');
        break;
      default:
        lines.push(`  - name: night_${i}`, `    match: { tool: "job${i}_*" }`, '    conditions: { time_after: "18:00", time_before: "08:00" }', '    approval: approve');
    }
  }
  return lines.join('\n') + '\n';
}

/** `SCENARIOS` calls spread over the rules (late ones too) and past them all. */
export function scenarios() {
  const cases = [];
  for (let k = 0; k < SCENARIOS; k++) {
    const i = (k * 7) % RULES;
    let call;
    let decision;
    switch (i % 5) {
      case 0:
        call = { tool: `svc${i}_restart`, server: 'prod-api' };
        decision = 'require_approval';
        break;
      case 1:
        call = { tool: `pay${i}`, server: 'bank', arguments: { amount: i * 10 + 5 } };
        decision = 'deny';
        break;
      case 2:
        call = { tool: 'query_database', server: 'pg', arguments: { query: 'DROP TABLE t', database: `db${i}` } };
        decision = 'deny';
        break;
      case 3:
        call = { tool: 'write_file', server: 'dev-fs', arguments: { path: `/srv/app${i}/main.py`, content: 'x' } };
        decision = 'require_approval';
        break;
      default:
        call = { tool: `nothing_matches_${k}`, server: 'dev-fs', arguments: { path: '/tmp/x' } };
        decision = 'require_approval';
    }
    cases.push({ name: `scenario ${k + 1}: ${call.tool}`, input: { call }, expect: { decision } });
  }
  return { name: 'keystroke benchmark', cases };
}

function link(base, policy) {
  const snapshot = {
    v: 1,
    policy,
    scenarios: scenarios(),
    call: { server: 'prod-api', tool: 'nothing_at_all', arguments: '{"path": "/srv/secrets/key"}', agent: '', annotations: {}, time: '' },
  };
  return `${base}#s=${deflateRawSync(Buffer.from(JSON.stringify(snapshot)), { level: 9 }).toString('base64url')}`;
}

const stats = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const at = (q) => s[Math.min(s.length - 1, Math.floor(q * s.length))];
  return { median: at(0.5), p95: at(0.95), max: s[s.length - 1], n: s.length };
};

async function run(dist, keystrokes) {
  const server = await serve(dist);
  const browser = await chromium.launch({ executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium', args: CHROMIUM_ARGS });
  try {
    const page = await browser.newPage({ viewport: { width: 1440, height: 1000 } });
    const policy = bigPolicy();
    await page.goto(link(server.url, policy));
    await page.locator('[data-testid="verdict"] [data-testid="decision"]').waitFor();
    const rules = await page.locator('[data-testid="policy-status"]').textContent();
    const summary = await page.locator('[data-testid="scenario-summary"]').textContent();
    // Keystrokes as the browser makes them (execCommand: the edit plus its
    // `input` event): typing and deleting a character in a comment (nothing
    // else changes), and replacing rule path_63's `approve` by `block` and
    // back (a scenario flips between pass and fail).
    const at = policy.indexOf('benchmark.') + 'benchmark'.length;
    const rule = policy.indexOf('  - name: path_63');
    if (rule < 0) throw new Error('the benchmark policy has no rule path_63 to edit');
    const word = policy.indexOf('approve', rule);
    const comment = [
      { start: at, end: at, text: '!' },
      { start: at, end: at + 1, text: '' },
    ];
    const flip = [
      { start: word, end: word + 'approve'.length, text: 'block' },
      { start: word, end: word + 'block'.length, text: 'approve' },
    ];
    const measure = (steps) => page.evaluate(async ({ steps, n }) => {
      const el = document.querySelector('[data-testid="policy-input"]');
      const summary = () => document.querySelector('[data-testid="scenario-summary"]').textContent;
      el.focus();
      const work = [];
      const frame = [];
      const seen = new Set();
      for (let i = 0; i < n; i++) {
        const step = steps[i % steps.length];
        el.setSelectionRange(step.start, step.end);
        const t0 = performance.now();
        if (step.text) document.execCommand('insertText', false, step.text);
        else document.execCommand('delete');
        // Leptos updates the DOM in microtasks: a zero timeout runs after all of them.
        await new Promise((r) => setTimeout(r, 0));
        work.push(performance.now() - t0);
        seen.add(summary());
        await new Promise((r) => requestAnimationFrame(() => setTimeout(r, 0)));
        frame.push(performance.now() - t0);
      }
      const timings = document.querySelector('[data-testid="timings"]').textContent;
      return { work, frame, summaries: [...seen], timings };
    }, { steps, n: keystrokes });
    await measure(comment); // warm up
    const commentRun = await measure(comment);
    const flipRun = await measure(flip);
    if (await page.locator('[data-testid="policy-input"]').inputValue() !== policy) {
      throw new Error('the keystrokes did not return the policy to its start');
    }
    return {
      rules: rules.trim(),
      scenarios: summary.trim(),
      comment: { work: stats(commentRun.work), frame: stats(commentRun.frame), timings: commentRun.timings },
      flip: { work: stats(flipRun.work), frame: stats(flipRun.frame), summaries: flipRun.summaries, timings: flipRun.timings },
      userAgent: await page.evaluate(() => navigator.userAgent),
    };
  } finally {
    await browser.close();
    await server.close();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const [dist = '../../dist', keystrokes = '60'] = process.argv.slice(2);
  console.log(JSON.stringify(await run(dist, Number(keystrokes)), null, 2));
}
