// Accessibility: axe-core's WCAG 2.1 A/AA rules on the demo page (the form, the open sandbox window,
// the result panel after a key and after a refusal) at desktop and phone widths. No serious or
// critical violation may remain; the minor ones are printed.
// axe is injected as an inline script, so this runs on a server without CSP (csp.test.mjs covers CSP).

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer } from './server.mjs';
import {
  launch, openPage, openDemo, fillForm, uniqueCustomer, resultState, shot, assertAccessible, describeViolations,
  audit, DESKTOP, PHONE,
} from './lib.mjs';

let server;
let browser;

before(async () => {
  server = await startServer({ csp: false });
  browser = await launch();
});

after(async () => {
  await browser?.close();
  await server?.close();
});

/** Audits one scene; serious or critical findings are collected in `failures`, the rest printed. */
async function check(page, scene, failures) {
  try {
    const minor = await assertAccessible(page, scene);
    if (minor.length) console.log(`# ${scene}: minor or moderate:\n${describeViolations(minor)}`);
  } catch (err) {
    failures.push(err.message);
  }
}

for (const [width, viewport] of [['desktop', DESKTOP], ['phone', PHONE]]) {
  test(`axe (WCAG 2.1 A/AA) at ${width} width (${viewport.width}×${viewport.height}): form, window, result`, async () => {
    const { context, page } = await openPage(browser, { viewport });
    const failures = [];
    try {
      await openDemo(page, server.url);
      await check(page, `${width}: the form`, failures);
      await fillForm(page, { amount: 0 });
      await check(page, `${width}: the form, billing key only`, failures);

      await fillForm(page, { customer_uid: uniqueCustomer(`a11y-${width}`), amount: 1004 });
      await page.getByTestId('submit').click();
      const win = page.getByTestId('sandbox-window');
      await win.waitFor();
      await check(page, `${width}: the open sandbox window`, failures);
      await shot(page, `a11y-${width}-window`, { fullPage: false });

      await win.getByTestId('sandbox-approve').click();
      assert.equal(await resultState(page), 'success');
      await page.locator('[data-testid=result] details.raw').evaluate((d) => { d.open = true; });
      await check(page, `${width}: the result panel (success)`, failures);

      await page.getByTestId('submit').click();
      await win.getByTestId('sandbox-decline').click();
      assert.equal(await resultState(page, 'success'), 'failure');
      await check(page, `${width}: the result panel (failure)`, failures);

      await fillForm(page, { buyer_tel: 'call me' });
      await page.getByTestId('submit').click();
      assert.equal(await resultState(page, 'failure'), 'invalid');
      await check(page, `${width}: a field error`, failures);
      await shot(page, `a11y-${width}-invalid`);
      if (failures.length) assert.fail(failures.join('\n\n'));
    } finally {
      await context.close();
    }
  });
}

test('the audit sees a violation when there is one', async () => {
  const { context, page } = await openPage(browser);
  try {
    await openDemo(page, server.url);
    await page.evaluate(() => {
      const b = document.createElement('button');
      b.setAttribute('aria-label', 'Something else');
      b.textContent = 'Visible';
      const p = document.createElement('p');
      p.className = 'a11y-probe';
      p.textContent = 'faint';
      p.style.color = '#eee';
      document.body.append(b, p);
    });
    const ids = (await audit(page)).violations.map((v) => v.id);
    assert.ok(ids.includes('color-contrast'), `color-contrast found: ${ids}`);
    assert.ok(ids.includes('label-content-name-mismatch'), `label-content-name-mismatch found: ${ids}`);
  } finally {
    await context.close();
  }
});
