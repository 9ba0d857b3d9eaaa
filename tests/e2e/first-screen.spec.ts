// A shared link to an agency or a job paints its first screen from the HTML, before the wasm:
// the name and main text, never a label. The app builds its page behind it and takes over
// only when it has something of its own to show, so no frame is blank or shows the page twice.
import { expect, test, type Page } from '@playwright/test';
import { DEMO } from './helpers';

/** Holds every request for a chunk until `release()` is called (the preload's and the app's). */
async function holdChunk(page: Page, chunk: string) {
  let release!: () => void;
  const released = new Promise<void>((resolve) => (release = resolve));
  await page.route(`**/${chunk}`, async (route) => {
    await released;
    await route.continue();
  });
  return release;
}

/** Exactly one copy of the page is visible: one top-level heading, with this text. */
async function expectOneHeading(page: Page, text: string) {
  await expect(page.locator('h1:visible')).toHaveCount(1);
  await expect(page.locator('h1:visible')).toHaveText(text);
}

test('a link to an agency paints its name and description before the app, which then takes over', async ({ page }) => {
  const agency = await (await page.request.get('/api/agencies/1')).json();
  const release = await holdChunk(page, 'split_agency.wasm');
  await page.goto('/agencies/1');
  const boot = page.locator('#boot');
  await expect(boot.locator('h1')).toHaveText(agency.name);
  await expect(boot.locator('.agency__description')).toHaveText(agency.description);
  // The main module has run and mounted the app, hidden behind the first screen while the
  // agency screen's code is held.
  await expect(page.locator('#main')).toBeAttached();
  await expect(page.locator('#main')).toBeHidden();
  await expectOneHeading(page, agency.name);

  release();
  await expect(boot).toHaveCount(0);
  await expect(page.locator('#main')).toBeVisible();
  await expect(page.getByRole('heading', { name: '机构简介' })).toBeVisible();
  await expectOneHeading(page, agency.name);
});

test('an English reader of a job link reads only its data before the app, then English', async ({ page }) => {
  await page.addInitScript(() => window.localStorage.setItem('market.locale', 'en'));
  const job = await (await page.request.get('/api/jobs/1')).json();
  const release = await holdChunk(page, 'split_notices.wasm');
  await page.goto('/jobs/1');
  const boot = page.locator('#boot');
  await expect(boot.locator('h1')).toHaveText(job.terms.project_name);
  await expect(page.locator('#main')).toBeHidden();
  // Nothing but the job's own words: no label, no button, no system text in any language.
  const text = (await boot.innerText()).replace(job.terms.project_name, '').replace(job.terms.scope, '');
  expect(text.trim()).toBe('');

  release();
  await expect(boot).toHaveCount(0);
  await expect(page.getByText('Project code', { exact: true })).toBeVisible();
  await expectOneHeading(page, job.terms.project_name);
});

test('when a linked screen’s code cannot be fetched, its error and retry replace the first screen', async ({ page }) => {
  let blocked = true;
  await page.route('**/split_notices.wasm', (route) => (blocked ? route.abort('internetdisconnected') : route.continue()));
  await page.goto('/jobs/1');
  const alert = page.locator('main [role="alert"]');
  await expect(alert).toBeVisible();
  await expect(page.locator('#boot')).toHaveCount(0);
  blocked = false;
  await alert.getByRole('button', { name: '重试' }).click();
  await expect(alert).toHaveCount(0);
  await expect(page.getByText('投资项目代码', { exact: true })).toBeVisible();
});

test('a draft’s link carries no first screen, even for its owner', async ({ page }) => {
  // The first screen's element, as the server writes it (the head's script names its class too).
  const marker = 'class="page first-screen"';
  const html = await (await page.request.get('/jobs/1')).text();
  expect(html).toContain(marker);
  // The demo enterprise's draft, found through its own list.
  const login = await page.request.post('/api/auth/login', {
    data: DEMO.enterprise,
    headers: { 'x-requested-with': 'market-app' },
  });
  expect(login.ok()).toBeTruthy();
  const mine = await (await page.request.get('/api/my/jobs')).json();
  const draft = mine.owned.find((job: { state: string }) => job.state === 'draft');
  const draftHtml = await (await page.request.get(`/jobs/${draft.id}`)).text();
  expect(draftHtml).not.toContain(marker);
  expect(draftHtml).not.toContain(draft.project_name);
});

/** The boot screen's visible words, as a reader sees them (hidden text excluded). */
async function bootWords(page: Page) {
  return (await page.locator('#boot').innerText()).trim();
}

for (const { locale, title, chinese } of [
  { locale: 'zh-CN', title: '中介机构名录', chinese: true },
  { locale: 'en', title: 'Agency directory', chinese: false },
]) {
  test(`the home page paints the directory’s heading before the app, in the reader’s language (${locale})`, async ({ page }) => {
    await page.addInitScript((locale) => window.localStorage.setItem('market.locale', locale), locale);
    const release = await holdChunk(page, 'main_bg.wasm');
    await page.goto('/');
    const boot = page.locator('#boot');
    // What shows, not what the HTML holds: the other language's words are there, hidden.
    await expect(boot.locator('h1')).toHaveText(title, { useInnerText: true });
    await expect(boot.locator('h1')).toBeVisible();
    const before = await bootWords(page);
    // One language only: the other one's words are in the HTML but never shown.
    expect(/[\u4e00-\u9fff]/.test(before)).toBe(chinese);
    expect(/[A-Za-z]/.test(before)).toBe(!chinese);

    release();
    await expect(boot).toHaveCount(0);
    await expect(page.locator('.agency-card').first()).toBeVisible();
    // The app's own header says exactly what the boot screen said (the same catalogue words).
    const header = page.locator('.directory__header');
    expect((await header.innerText()).trim()).toBe(before);
    await expectOneHeading(page, title);
  });
}

test('other pages’ boot screen has no words', async ({ page }) => {
  const release = await holdChunk(page, 'main_bg.wasm');
  await page.goto('/login');
  await expect(page.locator('#boot .skeleton__line').first()).toBeVisible();
  expect(await bootWords(page)).toBe('');
  release();
  await expect(page.locator('#boot')).toHaveCount(0);
});

test('the boot screen paints from the HTML alone, and its text before any wasm is fetched', async ({ page }) => {
  for (const path of ['/', '/agencies/1', '/jobs/1', '/login']) {
    await page.goto(path);
    await expect(page.locator('#boot')).toHaveCount(0);
    const timing = await page.evaluate(() => {
      const resources = performance.getEntriesByType('resource') as PerformanceResourceTiming[];
      return {
        text: performance.getEntriesByName('first-contentful-paint')[0].startTime,
        wasm: resources.filter((r) => r.name.endsWith('.wasm')).map((r) => r.startTime),
        stylesheets: resources.filter((r) => r.name.endsWith('.css')).length,
      };
    });
    // The stylesheet is inline: nothing but the HTML stands between a visitor and the first paint.
    expect(timing.stylesheets, path).toBe(0);
    expect(timing.wasm.length, path).toBeGreaterThan(0);
    // Where the boot screen has text, neither the main module nor a route's chunk competes with
    // it; elsewhere the first text is the app's, which needs the wasm.
    if (path !== '/login') expect(Math.min(...timing.wasm), path).toBeGreaterThanOrEqual(timing.text);
  }
});
