// Signed-in pages for anonymous visitors and wrong roles, phones at 360 px, the keyboard, and a
// quiet console for anonymous visitors (issue 12, items 15–18 and 25).
import { expect, test, type Page } from '@playwright/test';
import { DEMO, signIn } from './helpers';

/** Waits until the page shows its heading and nothing is still loading. */
async function settled(page: Page) {
  await expect(page.getByRole('heading', { level: 1 }).first()).toBeVisible();
  await page.waitForFunction(() => document.querySelectorAll('[aria-busy="true"]').length === 0);
}

test('an anonymous visitor is sent to log in and comes back to the page afterwards', async ({ page }) => {
  for (const path of ['/my/jobs', '/cases', '/review', '/notifications', '/my/listing', '/oversight', '/jobs/new', '/complaints/new']) {
    await page.goto(path);
    await expect(page).toHaveURL(new RegExp(`/login\\?next=${encodeURIComponent(path)}$`));
    await expect(page.getByText('登录已失效')).toHaveCount(0);
  }
  await page.goto('/my/jobs');
  await expect(page).toHaveURL(/\/login\?next=/);
  const form = page.getByRole('main');
  await form.getByLabel('用户名').fill(DEMO.enterprise.username);
  await form.getByLabel('密码').fill(DEMO.enterprise.password);
  await form.getByRole('button', { name: '登录' }).click();
  await expect(page).toHaveURL(/\/my\/jobs$/);
});

test('a signed-in account of the wrong role reads one clear page', async ({ browser }) => {
  const agency = await signIn(browser, DEMO.agency);
  for (const [path, roles] of [
    ['/oversight', '收费监管'],
    ['/jobs/new', '项目业主'],
    ['/review', '收费监管'],
  ]) {
    await agency.goto(path);
    await expect(agency.getByRole('heading', { level: 1, name: '无权使用此页面' })).toBeVisible();
    await expect(agency.getByRole('alert')).toContainText(`此页面仅限${roles}使用`);
    await expect(agency).toHaveTitle(/无权使用此页面/);
  }
  await agency.context().close();
});

test('anonymous pages log no failed request to the console', async ({ page }) => {
  const errors: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(message.text());
  });
  for (const path of ['/', '/jobs', '/fees', '/statistics']) {
    await page.goto(path);
    await settled(page);
  }
  expect(errors).toEqual([]);
});

test('the skip link moves focus to the content', async ({ page }) => {
  await page.goto('/');
  await settled(page);
  await page.keyboard.press('Tab');
  const skip = page.getByRole('link', { name: '跳到正文' });
  await expect(skip).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(page.locator('main#main')).toBeFocused();
});

test.describe('on a phone 360 px wide', () => {
  test.use({ viewport: { width: 360, height: 740 } });

  async function assertFits(page: Page, path: string) {
    await page.goto(path);
    await settled(page);
    const overflow = await page.evaluate(
      () => document.documentElement.scrollWidth - window.innerWidth,
    );
    expect(overflow, `${path} is wider than the screen`).toBeLessThanOrEqual(0);
  }

  test('no public page scrolls sideways', async ({ page }) => {
    for (const path of ['/', '/agencies/1', '/fees', '/jobs', '/jobs/1', '/login', '/register', '/statistics', '/api-docs', '/ledger', '/complaints']) {
      await assertFits(page, path);
    }
  });

  test('no public page scrolls sideways in English, whose labels are longer', async ({ page }) => {
    await page.addInitScript(() => window.localStorage.setItem('market.locale', 'en'));
    for (const path of ['/', '/agencies/1', '/fees', '/jobs', '/jobs/1', '/login', '/register', '/statistics', '/ledger', '/complaints']) {
      await assertFits(page, path);
    }
  });

  test('no signed-in page scrolls sideways, for any role', async ({ browser }) => {
    const pages: [typeof DEMO.enterprise, string[]][] = [
      [DEMO.enterprise, ['/my/jobs', '/cases', '/account', '/notifications', '/complaints/new']],
      [DEMO.agency, ['/my/jobs', '/account', '/my/listing']],
      [DEMO.regulator, ['/oversight', '/review', '/statistics', '/cases']],
      [DEMO.officer, ['/cases']],
    ];
    for (const [account, paths] of pages) {
      const page = await signIn(browser, account);
      await page.setViewportSize({ width: 360, height: 740 });
      for (const path of paths) await assertFits(page, path);
      await page.context().close();
    }
  });

  test('the navigation folds behind a menu button', async ({ page }) => {
    await page.goto('/');
    await settled(page);
    const nav = page.getByRole('navigation', { name: '主导航' });
    await expect(nav.getByRole('link', { name: '采购公告' })).toBeHidden();
    const menu = page.getByRole('button', { name: '菜单' });
    await expect(menu).toHaveAttribute('aria-expanded', 'false');
    await menu.click();
    await expect(menu).toHaveAttribute('aria-expanded', 'true');
    await nav.getByRole('link', { name: '采购公告' }).click();
    await expect(page).toHaveURL(/\/jobs$/);
    await expect(menu).toHaveAttribute('aria-expanded', 'false');
  });
});
