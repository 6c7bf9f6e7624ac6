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

// ---- accessibility ----------------------------------------------------------------------------------

/** The WCAG 2.1 A/AA rules axe-core runs in every audit. */
export const WCAG_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];
const AXE_PATH = require.resolve('axe-core/axe.min.js');

/**
 * Runs axe-core (root devDependency, exact version) on the page, or on `include` (a CSS selector) only.
 * The script is added by path, which makes it an inline script: pages under a CSP without
 * 'unsafe-inline' block it, so audits run on a server without CSP.
 * Resolves `{ version, violations: [{ id, impact, help, targets, nodes }] }`.
 */
export async function audit(page, { include } = {}) {
  if (!(await page.evaluate(() => typeof window.axe === 'object'))) {
    await page.addScriptTag({ path: AXE_PATH });
  }
  return page.evaluate(async ({ tags, include }) => {
    const results = await window.axe.run(include ? { include: [include] } : document, {
      runOnly: { type: 'tag', values: tags },
      resultTypes: ['violations'],
    });
    return {
      version: window.axe.version,
      violations: results.violations.map((v) => ({
        id: v.id,
        impact: v.impact,
        help: v.help,
        targets: v.nodes.map((n) => n.target.join(' ')),
        nodes: v.nodes.map((n) => n.failureSummary),
      })),
    };
  }, { tags: WCAG_TAGS, include });
}

/** One line per violation and per element: `impact id: help` then `  target: why`. */
export function describeViolations(violations) {
  return violations.flatMap((v) => [
    `${v.impact} ${v.id}: ${v.help}`,
    ...v.targets.map((t, i) => `  ${t}: ${String(v.nodes[i] ?? '').replace(/\s+/g, ' ').trim()}`),
  ]).join('\n');
}

/** Fails, listing every violation found, when any is serious or critical. */
export async function assertAccessible(page, scene, options) {
  const { violations } = await audit(page, options);
  const blocking = violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  if (blocking.length) {
    throw new Error(`${scene}: axe found ${blocking.length} serious or critical violation(s):\n${describeViolations(blocking)}`);
  }
  return violations; // the minor and moderate ones, for the log
}

// ---- the sandbox server ---------------------------------------------------------------------------

/**
 * What Chromium logs once per page when the sandbox SDK finds no sandbox server (a plain static server
 * answers its POST /__sandbox/window/pay with 405, or 404) and decides in the browser instead.
 */
export const NO_SANDBOX_SERVER = /Failed to load resource: the server responded with a status of 40[45] /;
