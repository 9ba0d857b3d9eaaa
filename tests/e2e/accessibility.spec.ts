// axe-core on the pages people use most, at desktop and phone widths: no critical or serious
// violation. axe-core is evaluated in the page (the Playwright wrapper needs Node 22).
import { expect, test, type Page } from '@playwright/test';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { DEMO, signIn } from './helpers';

const AXE_SOURCE = fs.readFileSync(
  path.resolve(__dirname, '../../node_modules/axe-core/axe.min.js'),
  'utf8',
);

type Violation = { id: string; impact: string | null; help: string; nodes: { target: unknown[] }[] };

async function seriousViolations(page: Page, url: string): Promise<string[]> {
  await page.goto(url);
  await expect(page.getByRole('heading', { level: 1 }).first()).toBeVisible();
  await page.waitForFunction(() => document.querySelectorAll('[aria-busy="true"]').length === 0);
  // Evaluated through DevTools, which the page's Content-Security-Policy rightly does not
  // allow as an injected <script>.
  await page.evaluate(AXE_SOURCE);
  const violations: Violation[] = await page.evaluate(async () => {
    // @ts-expect-error injected above
    const result = await window.axe.run(document, { resultTypes: ['violations'] });
    return result.violations;
  });
  return violations
    .filter((v) => v.impact === 'critical' || v.impact === 'serious')
    .map((v) => `${url}: ${v.id} (${v.impact}) ${v.help} at ${JSON.stringify(v.nodes.map((n) => n.target))}`);
}

const PUBLIC = ['/', '/agencies/1', '/fees', '/jobs', '/jobs/1', '/login', '/register', '/api-docs'];

for (const width of [1280, 360]) {
  test(`public pages have no serious accessibility violation at ${width} px`, async ({ page }) => {
    await page.setViewportSize({ width, height: 900 });
    const found: string[] = [];
    for (const url of PUBLIC) found.push(...(await seriousViolations(page, url)));
    expect(found).toEqual([]);
  });

  test(`the case page and the regulator's console have none at ${width} px`, async ({ browser }) => {
    const enterprise = await signIn(browser, DEMO.enterprise);
    await enterprise.setViewportSize({ width, height: 900 });
    const found = await seriousViolations(enterprise, '/cases/1');
    await enterprise.context().close();
    const regulator = await signIn(browser, DEMO.regulator);
    await regulator.setViewportSize({ width, height: 900 });
    found.push(...(await seriousViolations(regulator, '/oversight')));
    await regulator.context().close();
    expect(found).toEqual([]);
  });
}
