// The foundation journey: directory, detail, register, log out, log in.
import { expect, test } from '@playwright/test';
import { creditCode, uniqueUsername } from './helpers';

test('a visitor browses the directory in Chinese and opens an agency', async ({ page }) => {
  await page.goto('/');
  await expect(page).toHaveTitle(/中介机构名录/);
  await expect(page.getByRole('heading', { level: 1, name: '中介机构名录' })).toBeVisible();
  await expect(page.getByRole('status')).toHaveText('共 67 家机构');
  const cards = page.getByRole('article');
  await expect(cards).toHaveCount(20);
  await expect(page.getByRole('link', { name: '云州绿源环境科技有限公司' })).toHaveCount(0);

  // Filters live in the query string.
  await page.getByLabel('服务类型').selectOption({ label: '测绘' });
  await expect(page).toHaveURL(/service_type=surveying/);
  await expect(cards.first()).toContainText('测绘');
  const surveyors = await cards.count();
  expect(surveyors).toBeGreaterThan(0);
  expect(surveyors).toBeLessThan(20);

  const first = cards.first().getByRole('link');
  const name = (await first.textContent())!.trim();
  await first.click();
  await expect(page).toHaveURL(/\/agencies\/\d+$/);
  await expect(page.getByRole('heading', { level: 1, name })).toBeVisible();
  await expect(page.getByText('统一社会信用代码')).toBeVisible();
  await expect(page.getByRole('table', { name: '资质证书' })).toContainText('测绘资质证书');
  await expect(page.getByRole('columnheader', { name: '发证机关' })).toBeVisible();
});

test('paging keeps the page number in the address and survives a reload', async ({ page }) => {
  await page.goto('/');
  await page.getByRole('link', { name: '下一页' }).click();
  await expect(page).toHaveURL(/[?&]page=2/);
  await expect(page.getByText('第 2 / 4 页')).toBeVisible();
  await page.reload();
  await expect(page.getByText('第 2 / 4 页')).toBeVisible();
  await expect(page.getByRole('article')).toHaveCount(20);
});

test('an enterprise registers, logs out and logs back in', async ({ page }) => {
  const username = uniqueUsername('e2e_owner');
  const password = 'correct horse battery';
  await page.goto('/');
  await page.getByRole('banner').getByRole('link', { name: '注册' }).click();
  await expect(page.getByRole('heading', { level: 1, name: '注册账号' })).toBeVisible();

  const form = page.getByRole('main');
  await form.getByLabel('项目业主').check();
  await form.getByLabel('用户名').fill(username);
  await form.getByLabel('密码').fill(password);
  await form.getByLabel('单位名称').fill('云州市临港物流园开发有限公司');
  await form.getByLabel('统一社会信用代码').fill(creditCode(Date.now()));
  await form.getByLabel('联系人').fill('李海燕');
  await form.getByLabel('联系电话').fill('13912345678');
  await form.getByLabel('电子邮箱').fill('li.haiyan@example.com');
  await form.getByRole('button', { name: '注册' }).click();

  await expect(page).toHaveURL(/\/account$/);
  await expect(page.getByRole('heading', { level: 1, name: '我的账户' })).toBeVisible();
  await expect(form.getByText(username)).toBeVisible();
  await expect(form.getByText('项目业主')).toBeVisible();

  await page.getByRole('button', { name: '退出登录' }).click();
  await expect(page).toHaveURL(/\/$/);
  await expect(page.getByRole('banner').getByRole('link', { name: '登录' })).toBeVisible();
  await page.goto('/account');
  // The account page sends an anonymous visitor to log in, and back afterwards.
  await expect(page).toHaveURL(/\/login\?next=%2Faccount$/);

  await form.getByLabel('用户名').fill(username);
  await form.getByLabel('密码').fill(password);
  await form.getByRole('button', { name: '登录' }).click();
  await expect(page).toHaveURL(/\/account$/);
  await expect(page.getByRole('banner')).toContainText('云州市临港物流园开发有限公司');
});

test('the register form explains bad input in Chinese before sending it', async ({ page }) => {
  let registrations = 0;
  page.on('request', (request) => {
    if (request.url().endsWith('/api/auth/register')) registrations += 1;
  });
  await page.goto('/register');
  const form = page.getByRole('main');
  const creditCodeField = form.getByLabel('统一社会信用代码');
  await creditCodeField.fill('91350100M000100Y44');
  await creditCodeField.blur();
  await expect(form.getByText('统一社会信用代码校验位不正确,请核对后重新输入')).toBeVisible();
  await expect(creditCodeField).toHaveAttribute('aria-invalid', 'true');

  await form.getByRole('button', { name: '注册' }).click();
  await expect(form.getByText('请先修正标红的内容。')).toBeVisible();
  await expect(form.getByText('密码至少 8 位')).toBeVisible();
  expect(registrations).toBe(0);
});

test('a wrong password gets a clear Chinese message', async ({ page }) => {
  await page.goto('/login');
  const form = page.getByRole('main');
  await form.getByLabel('用户名').fill('demo_enterprise');
  await form.getByLabel('密码').fill('not the password');
  await form.getByRole('button', { name: '登录' }).click();
  await expect(form.getByRole('alert')).toHaveText('用户名或密码错误');
  await form.getByLabel('密码').fill('Qiye@2026demo');
  await form.getByRole('button', { name: '登录' }).click();
  await expect(page).toHaveURL(/\/account$/);
  await expect(page.getByRole('main')).toContainText('云州市城市建设投资集团有限公司');
});

test('the language switch changes the UI and is remembered', async ({ page }) => {
  await page.goto('/');
  await page.getByRole('banner').getByRole('combobox').selectOption('en');
  await expect(page.getByRole('heading', { level: 1, name: 'Agency directory' })).toBeVisible();
  await expect(page.getByRole('status')).toHaveText('67 agencies');
  await expect(page.locator('html')).toHaveAttribute('lang', 'en');
  await page.reload();
  await expect(page.getByRole('heading', { level: 1, name: 'Agency directory' })).toBeVisible();
  await page.getByRole('banner').getByRole('combobox').selectOption('zh-CN');
  await expect(page.getByRole('heading', { level: 1, name: '中介机构名录' })).toBeVisible();
});

test('deep links and unknown pages are served by the app', async ({ page }) => {
  const response = await page.goto('/no/such/page');
  expect(response?.status()).toBe(200);
  await expect(page.getByRole('heading', { level: 1, name: '页面不存在' })).toBeVisible();
  await page.goto('/agencies/999999');
  await expect(page.getByRole('alert')).toContainText('请求的内容不存在或已下线。');
});

test('a visitor sorts and filters the directory, and every card shows credit and rating', async ({ page }) => {
  await page.goto('/');
  const cards = page.getByRole('article');
  await expect(cards).toHaveCount(20);
  await expect(cards.first().locator('.agency-card__credit')).toHaveText(/信用分 \d+\([ABCD]\)/);

  // Highest credit first: the scores on the page never rise.
  await page.getByRole('button', { name: '更多筛选与排序' }).click();
  await page.getByLabel('排序').selectOption({ label: '信用评分最高' });
  await expect(page).toHaveURL(/sort=credit/);
  const scores = (await cards.locator('.agency-card__credit').allTextContents()).map((t) =>
    Number(/信用分 (\d+)/.exec(t)![1]),
  );
  expect(scores.length).toBe(20);
  expect([...scores].sort((a, b) => b - a)).toEqual(scores);

  // Filters combine with the sort and stay in the address.
  await page.getByLabel('资质等级').selectOption('甲级');
  await page.getByLabel('只看无不良记录').check();
  await expect(page).toHaveURL(/level=%E7%94%B2%E7%BA%A7/);
  await expect(page).toHaveURL(/clean=1/);
  await expect(page).toHaveURL(/sort=credit/);
  const filtered = Number(/共 (\d+) 家机构/.exec((await page.getByRole('status').textContent())!)![1]);
  expect(filtered).toBeGreaterThan(0);
  expect(filtered).toBeLessThan(67);

  // A two-character search finds 测绘 in names or descriptions.
  await page.goto('/');
  await page.getByRole('searchbox').fill('测绘');
  await page.getByRole('button', { name: '查询' }).click();
  await expect(page).toHaveURL(/q=%E6%B5%8B%E7%BB%98/);
  await expect(cards.first()).toBeVisible();
  // The lowest fee quote for an investment: each card shows its quote, lowest first.
  await page.goto('/?service_type=env_impact&sort=fee&investment=50000000');
  await expect(page.getByLabel('排序')).toHaveValue('fee');
  await expect(cards.first().locator('.agency-card__quote')).toContainText('按所填投资额报价');
});
