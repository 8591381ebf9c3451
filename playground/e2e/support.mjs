// Shared set-up of the end-to-end specs: the release build served on
// 127.0.0.1 and Debian's Chromium driven by playwright-core.
import { mkdir } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before } from 'node:test';
import { chromium } from 'playwright-core';
import { serve } from './server.mjs';
import { PlaygroundPage } from './playground.page.mjs';

const here = dirname(fileURLToPath(import.meta.url));
export const DIST = process.env.PLAYGROUND_DIST ?? join(here, '..', '..', 'dist');
export const SCREENSHOTS = join(here, 'screenshots');

export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-dev-shm-usage',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

/** Starts the server and the browser for one spec file. */
export async function startSession() {
  const server = await serve(DIST);
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    args: CHROMIUM_ARGS,
  });
  await mkdir(SCREENSHOTS, { recursive: true });
  return {
    url: server.url,
    browser,
    /** A page in a fresh context (no storage), opened at `hash`. */
    async open(hash = '', viewport = { width: 1440, height: 1000 }) {
      const context = await browser.newContext({ viewport });
      const page = await context.newPage();
      const playground = new PlaygroundPage(page, server.url);
      await playground.open(hash);
      return playground;
    },
    async close() {
      await browser.close();
      await server.close();
    },
  };
}

/** The session of a spec file: started before its tests, closed after them. */
export function sessionForThisFile() {
  const session = {};
  before(async () => { Object.assign(session, await startSession()); });
  after(async () => { await session.close?.(); });
  return session;
}
