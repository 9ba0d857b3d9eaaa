// Route-level code splitting: every screen loads its own code on first visit. Each route is
// opened from a cold cache by deep link and then reloaded; a screen whose code cannot be
// fetched shows an error with a retry that works.
import { expect, test, type Page } from '@playwright/test';
import { DEMO, signIn } from './helpers';

/** The page shows its own heading, not the loading placeholder or an error. */
async function expectScreen(page: Page, path: string) {
  await expect(page.locator('main h1').first(), path).toBeVisible();
  await expect(page.locator('main [role="alert"]'), path).toHaveCount(0);
  await expect(page.locator('#boot'), 'the boot skeleton is gone').toHaveCount(0);
}

const PUBLIC = ['/', '/agencies/1', '/fees', '/jobs', '/jobs/1', '/ledger', '/complaints', '/statistics', '/api-docs', '/login', '/register', '/no-such-page'];
const SIGNED_IN: [keyof typeof DEMO, string[]][] = [
  ['enterprise', ['/my/jobs', '/jobs/new', '/cases', '/notifications', '/account', '/complaints/new']],
  ['agency', ['/my/listing', '/my/jobs']],
  ['regulator', ['/review', '/oversight', '/cases']],
];

/** Routes with an id, taken from what this account can see, so they exist whatever ran before. */
async function routesWithIds(page: Page, account: keyof typeof DEMO): Promise<string[]> {
  const get = async (path: string) => {
    const response = await page.request.get(path);
    expect(response.ok(), path).toBeTruthy();
    return response.json();
  };
  if (account === 'enterprise') {
    const mine = await get('/api/my/jobs');
    const draft = mine.owned.find((job: { state: string }) => job.state === 'draft');
    expect(draft, 'the demo enterprise has a draft job').toBeTruthy();
    const cases = await get('/api/cases');
    const complaints = await get('/api/complaints');
    return [`/jobs/${draft.id}/edit`, `/cases/${cases.items[0].id}`, `/complaints/${complaints[0].id}`];
  }
  if (account === 'regulator') {
    const queue = await get('/api/review/queue');
    return [`/review/${queue.items[0].version_id}`];
  }
  return [];
}

test('every public route loads by deep link and by reload from a cold cache', async ({ browser }) => {
  for (const path of PUBLIC) {
    const context = await browser.newContext();
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(error.message));
    await page.goto(path);
    await expectScreen(page, path);
    await page.reload();
    await expectScreen(page, `${path} after reload`);
    expect(errors, path).toEqual([]);
    await context.close();
  }
});

test('every signed-in route loads by deep link and by reload', async ({ browser }) => {
  for (const [account, paths] of SIGNED_IN) {
    const page = await signIn(browser, DEMO[account]);
    for (const path of [...paths, ...(await routesWithIds(page, account))]) {
      await page.goto(path);
      await expectScreen(page, `${account} ${path}`);
      await page.reload();
      await expectScreen(page, `${account} ${path} after reload`);
    }
    await page.context().close();
  }
});

test('the home page loads no other screen’s code, its filter bar just after the cards', async ({ page }) => {
  const wasm: string[] = [];
  page.on('request', (request) => {
    if (request.url().endsWith('.wasm')) wasm.push(new URL(request.url()).pathname.split('/').pop()!);
  });
  await page.goto('/');
  await expect(page.locator('.agency-card').first()).toBeVisible();
  await expect(page.getByLabel('服务类型')).toBeVisible();
  expect(wasm[0]).toBe('main_bg.wasm');
  // Besides main: the filter bar's chunk (and code it shares), never another screen's.
  expect(wasm.filter((name) => name.startsWith('split_'))).toEqual(['split_filters.wasm']);
  // Going to another screen fetches its chunk then.
  await page.getByRole('link', { name: '收费查询' }).first().click();
  await expect(page.locator('main h1')).toBeVisible();
  expect(wasm).toContain('split_agency.wasm');
});

test('a deep link starts fetching its screen’s code and first data with the page, once', async ({ page }) => {
  const requested: string[] = [];
  page.on('request', (request) => requested.push(new URL(request.url()).pathname));
  await page.goto('/jobs/1');
  await expectScreen(page, '/jobs/1');
  await expect(page.getByRole('table', { name: '全过程记录' }).locator('tbody tr').first()).toBeVisible();
  // The page's own preloads (initiator "link"), not the app after the main module has run ...
  const preloaded: string[] = await page.evaluate(() =>
    performance.getEntriesByType('resource')
      .filter((entry) => (entry as PerformanceResourceTiming).initiatorType === 'link')
      .map((entry) => new URL(entry.name).pathname));
  const split = preloaded.filter((path) => path.endsWith('/split_notices.wasm'));
  expect(split, 'the notices chunk is preloaded').toHaveLength(1);
  expect(preloaded.filter((path) => /\/chunk_\d+\.wasm$/.test(path)).length, 'with its shared chunks').toBeGreaterThan(0);
  expect(preloaded).toContain('/api/jobs/1');
  expect(preloaded).toContain('/api/jobs/1/events');
  // ... and the app's requests are answered from them: nothing is fetched twice.
  for (const path of [split[0], '/api/jobs/1', '/api/jobs/1/events']) {
    expect(requested.filter((p) => p === path), path).toHaveLength(1);
  }
  // The home page preloads no screen's code.
  await page.goto('/');
  await expect(page.locator('.agency-card').first()).toBeVisible();
  const home: string[] = await page.evaluate(() =>
    performance.getEntriesByType('resource').map((entry) => new URL(entry.name).pathname));
  expect(home.filter((path) => /\/split_\w+\.wasm$/.test(path) && !path.endsWith('/split_filters.wasm'))).toEqual([]);
});

test('an anonymous job reader sees the objections and how to take part, without loading any form code', async ({ page }) => {
  const wasm: string[] = [];
  page.on('request', (request) => {
    if (request.url().endsWith('.wasm')) wasm.push(new URL(request.url()).pathname.split('/').pop()!);
  });
  await page.goto('/jobs/1');
  await expectScreen(page, '/jobs/1');
  const objections = page.getByRole('region', { name: '异议' });
  await expect(objections.getByRole('heading', { name: '异议' })).toBeVisible();
  await expect(objections.locator('form')).toHaveCount(0);
  // A notice still open for bids tells an anonymous reader how to take part.
  const open = await (await page.request.get('/api/jobs?state=published&per_page=1')).json();
  await page.goto(`/jobs/${open.items[0].id}`);
  await expect(page.getByRole('link', { name: '报价机构请先登录。' })).toHaveAttribute('href', '/login');
  expect(wasm).toContain('split_notices.wasm');
  expect(wasm, 'the forms live in the console chunk').not.toContain('split_console.wasm');
});

test('a screen whose code cannot be fetched shows an error, and retrying loads it', async ({ page }) => {
  let blocked = true;
  await page.route('**/split_agency.wasm', (route) => (blocked ? route.abort('internetdisconnected') : route.continue()));
  await page.goto('/fees');
  const alert = page.locator('main [role="alert"]');
  await expect(alert).toBeVisible();
  await expect(alert).toContainText('页面程序未能下载');
  blocked = false;
  await alert.getByRole('button', { name: '重试' }).click();
  await expect(page.locator('main h1')).toBeVisible();
  await expect(alert).toHaveCount(0);
});

test('the English catalogue is fetched only when chosen, and a reload paints English from the start', async ({ page }) => {
  const wasm: string[] = [];
  page.on('request', (request) => {
    if (request.url().endsWith('.wasm')) wasm.push(new URL(request.url()).pathname.split('/').pop()!);
  });
  await page.goto('/');
  await expect(page.locator('.agency-card').first()).toBeVisible();
  expect(wasm).not.toContain('split_english.wasm');
  await page.getByRole('banner').getByRole('combobox').selectOption('en');
  await expect(page.getByRole('heading', { level: 1, name: 'Agency directory' })).toBeVisible();
  expect(wasm).toContain('split_english.wasm');

  // After a reload the first heading painted (index.html's boot screen, then the app's) is
  // already English: record the visible text of every h1 in every frame from the start, so a
  // Chinese flash would be caught.
  await page.addInitScript(() => {
    const seen: string[] = [];
    (window as unknown as { headings: string[] }).headings = seen;
    const frame = () => {
      for (const h1 of document.querySelectorAll<HTMLElement>('main h1')) {
        const text = h1.checkVisibility() ? h1.innerText.trim() : '';
        if (text && !seen.includes(text)) seen.push(text);
      }
      requestAnimationFrame(frame);
    };
    requestAnimationFrame(frame);
  });
  await page.reload();
  await expect(page.getByRole('heading', { level: 1, name: 'Agency directory' })).toBeVisible();
  expect(await page.evaluate(() => (window as unknown as { headings: string[] }).headings)).toEqual(['Agency directory']);
  await page.getByRole('banner').getByRole('combobox').selectOption('zh-CN');
});
