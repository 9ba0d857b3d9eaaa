// Live notifications: an agency's open page hears of a newly published job within 2 s, pushed
// over server-sent events, and the stream picks up again after the server restarts.
import { expect, test, type APIRequestContext, type Browser } from '@playwright/test';
import { DEMO, signIn } from './helpers';
import { OwnServer } from './server';

const server = OwnServer.fresh(18184, 'notifications');
const headers = { 'X-Requested-With': 'market-app' };

test.beforeAll(async () => {
  await server.start();
});

test.afterAll(async () => {
  await server.stop();
});

/** Publishes a copy of a job the agency qualifies for, as the demo enterprise. */
async function publishJobFor(owner: APIRequestContext, template: any, name: string): Promise<number> {
  const deadline = new Date(Date.now() + 10 * 24 * 3600_000);
  const terms = {
    ...template,
    project_name: name,
    deadline: new Date(deadline.getTime() + 8 * 3600_000).toISOString().slice(0, 19) + '+08:00',
  };
  const created = await owner.post('/api/jobs', { headers, data: terms });
  expect(created.status(), await created.text()).toBe(201);
  const job = await created.json();
  const published = await owner.post(`/api/jobs/${job.id}/publish`, { headers, data: {} });
  expect(published.status(), await published.text()).toBe(200);
  return job.id;
}

async function signedIn(browser: Browser, account: { username: string; password: string }) {
  return signIn(browser, account, server.baseURL);
}

test('a published job reaches an open agency page within 2 s, also after a server restart', async ({ browser }) => {
  const agency = await signedIn(browser, DEMO.agency);
  const owner = await signedIn(browser, DEMO.enterprise);
  const mine = await (await agency.request.get('/api/my/jobs')).json();
  expect(mine.qualified.length).toBeGreaterThan(0);
  const template = (await (await owner.request.get(`/api/jobs/${mine.qualified[0].id}`)).json()).terms;

  await agency.goto('/notifications');
  await expect(agency.getByRole('heading', { level: 1, name: '消息通知' })).toBeVisible();
  const inbox = agency.getByRole('banner').getByRole('link', { name: /^通知/ });
  await expect(inbox).toBeVisible();
  const before = Number((await agency.request.get('/api/notifications').then((r) => r.json())).unread);

  const first = `实时通知测试项目 ${Date.now().toString(36)}`;
  await publishJobFor(owner.request, template, first);
  const toasts = agency.getByRole('region', { name: '新通知' });
  const toast = toasts.getByRole('link').filter({ hasText: first });
  await expect(toast).toBeVisible({ timeout: 2_000 });
  await expect(inbox).toHaveAccessibleName(`通知 (${before + 1} 条未读)`, { timeout: 2_000 });
  // The open inbox lists it too, unread, without a reload.
  const list = agency.getByRole('list', { name: '消息通知' });
  await expect(list.getByRole('listitem').filter({ hasText: first })).toContainText('未读');

  await server.stop();
  await server.start();

  const second = `重启后通知测试项目 ${Date.now().toString(36)}`;
  await publishJobFor(owner.request, template, second);
  await expect(toasts.getByRole('link').filter({ hasText: second })).toBeVisible({ timeout: 15_000 });
  await expect(inbox).toHaveAccessibleName(`通知 (${before + 2} 条未读)`);

  // Reading one lowers the badge for this user.
  await list.getByRole('listitem').filter({ hasText: second }).getByRole('button', { name: '标为已读' }).click();
  await expect(inbox).toHaveAccessibleName(`通知 (${before + 1} 条未读)`);
});

test('an agency mutes a kind in its inbox settings, and the choice is saved', async ({ browser }) => {
  const agency = await signedIn(browser, DEMO.agency2);
  await agency.goto('/notifications');
  const settings = agency.getByRole('region', { name: '接收设置' });
  await settings.getByRole('checkbox', { name: '新项目' }).uncheck();
  await settings.getByRole('button', { name: '保存设置' }).click();
  await expect(settings.getByRole('status')).toHaveText('已保存');
  await agency.reload();
  await expect(agency.getByRole('region', { name: '接收设置' }).getByRole('checkbox', { name: '新项目' })).not.toBeChecked();
  const saved = await (await agency.request.get('/api/notifications/settings')).json();
  expect(saved.muted).toEqual(['new_job']);
});
