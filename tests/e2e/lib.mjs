// Shared helpers for the end-to-end tests: Debian's Chromium through playwright-core, pages that
// record console errors and CSP violations, screenshots under test-results/e2e/.

import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { REPO } from './server.mjs';

// playwright-core lives in the repository's root node_modules.
const require = createRequire(path.join(REPO, 'package.json'));
const { chromium } = require('playwright-core');

export const SHOTS = path.join(REPO, 'test-results', 'e2e');
export const DESKTOP = { width: 1280, height: 900 };
export const PHONE = { width: 375, height: 812 };

// Debian's Chromium as root on a closed network (also used by bench/run.mjs).
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-dev-shm-usage',
];

export function launch() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    args: CHROMIUM_ARGS,
    timeout: 60_000,
  });
}

/**
 * A fresh context (fresh localStorage) and page. `page.problems` collects console errors, uncaught
 * exceptions and CSP violations (from both the console and `securitypolicyviolation` events).
 */
export async function openPage(browser, { viewport = DESKTOP } = {}) {
  const context = await browser.newContext({ viewport, locale: 'ko-KR', timezoneId: 'Asia/Seoul' });
  const page = await context.newPage();
  page.setDefaultTimeout(15_000);
  const problems = { console: [], errors: [], csp: [] };
  page.on('console', (msg) => {
    if (msg.type() === 'error' || msg.type() === 'warning') problems.console.push(`${msg.type()}: ${msg.text()}`);
    if (/Content[- ]Security[- ]Policy/i.test(msg.text())) problems.csp.push(msg.text());
  });
  page.on('pageerror', (err) => problems.errors.push(String(err)));
  await page.exposeFunction('__reportCsp', (text) => problems.csp.push(text));
  await page.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (e) => {
      window.__reportCsp(`${e.violatedDirective} blocked ${e.blockedURI || 'inline'} (${e.sourceFile}:${e.lineNumber})`);
    });
  });
  page.problems = problems;
  return { context, page };
}

/** Saves test-results/e2e/NAME.png: the whole page, or just the viewport (`fullPage: false`, for open windows). */
export async function shot(page, name, { fullPage = true } = {}) {
  mkdirSync(SHOTS, { recursive: true });
  await page.screenshot({ path: path.join(SHOTS, `${name}.png`), fullPage });
}

/** Opens the demo and waits until the sandbox SDK is loaded and the submit button enabled. */
export async function openDemo(page, base, query = '') {
  await page.goto(`${base}/${query}`);
  await page.getByTestId('sdk-status').and(page.locator('[data-state="ready"]')).waitFor();
  await page.getByTestId('submit').and(page.locator(':enabled')).waitFor();
}

/** Fills the form's fields given by name (data-testid); `amount: 0` picks "billing key only". */
export async function fillForm(page, fields) {
  for (const [name, value] of Object.entries(fields)) {
    if (name === 'amount') {
      if (value === 0) {
        await page.getByTestId('amount-key-only').check();
      } else {
        await page.getByTestId('amount-charge').check();
        await page.getByTestId('amount').fill(String(value));
      }
    } else {
      await page.getByTestId(name).fill(String(value));
    }
  }
}

/** A customer_uid no other test uses. */
export function uniqueCustomer(label) {
  return `e2e-${label}-${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;
}

/** The text of `[data-testid=result-KEY]` in the result panel. */
export function resultField(page, key) {
  return page.getByTestId('result').getByTestId(`result-${key}`).textContent();
}

/** Waits for the result panel to leave `empty` and returns its state. */
export async function resultState(page, previous = 'empty') {
  const panel = page.getByTestId('result');
  await panel.and(page.locator(`:not([data-state="${previous}"])`)).waitFor();
  return panel.getAttribute('data-state');
}

/** Fails with everything the page complained about, unless `allow` matches it. */
export function assertNoProblems(page, allow = []) {
  const { console: messages, errors, csp } = page.problems;
  const unexpected = [...messages, ...errors, ...csp].filter((m) => !allow.some((re) => re.test(m)));
  if (unexpected.length) throw new Error(`the page reported problems:\n  ${unexpected.join('\n  ')}`);
}
