// Approval cases: the enterprise sees a required service not yet procured, posts the job from
// the case page, and an approval system's event moves the case to 审查中 while the page is open.
import { expect, test } from '@playwright/test';
import { DEMO, signIn } from './helpers';

/** City time (UTC+8) as a `datetime-local` value. */
function cityLocal(at: Date): string {
  return new Date(at.getTime() + 8 * 3600_000).toISOString().slice(0, 16);
}

test('an enterprise posts a missing service from its case, and an integration event shows up live', async ({ browser, request, baseURL }) => {
  const suffix = Date.now().toString(36).toUpperCase();
  const caseNumber = `YZHP-E2E-${suffix}`;
  const project = `云州市南湖片区排水防涝工程(${suffix})`;

  // The approval officer registers the case on acceptance; a regulator issues a token.
  const owner = await signIn(browser, DEMO.enterprise);
  const me = await (await owner.request.get('/api/auth/me')).json();
  const officer = await signIn(browser, DEMO.officer);
  await officer.getByRole('banner').getByRole('link', { name: '审批办件' }).click();
  const register = officer.getByRole('region', { name: '登记受理办件' });
  await register.getByLabel('办件编号').fill(caseNumber);
  await register.getByLabel('投资项目代码').fill('2026-539902-48-01-000955');
  await register.getByLabel('项目名称').fill(project);
  await register.getByLabel('审批事项').selectOption({ label: '建设项目环境影响评价审批(云州市生态环境局)' });
  await register.getByLabel('申请企业统一社会信用代码').fill(me.credit_code);
  await register.getByRole('button', { name: '登记受理' }).click();
  await expect(officer.getByRole('heading', { level: 1, name: project })).toBeVisible();
  const regulator = await signIn(browser, DEMO.regulator);
  await regulator.getByRole('banner').getByRole('link', { name: '审批办件' }).click();
  const tokens = regulator.getByRole('region', { name: '系统对接令牌' });
  await tokens.getByLabel('对接系统名称').fill('省投资项目审批系统');
  await tokens.getByRole('button', { name: '生成令牌' }).click();
  const token = (await tokens.locator('code').textContent())!.trim();
  expect(token).toMatch(/^yzmkt_[0-9a-f]{64}$/);

  // The enterprise opens its case: the EIA is not yet procured, so it posts the job from there.
  await owner.getByRole('banner').getByRole('link', { name: '审批办件' }).click();
  await owner.getByRole('link', { name: project }).click();
  const services = owner.getByRole('table', { name: '所需中介服务' });
  await expect(services.getByRole('row', { name: /环境影响评价/ })).toContainText('尚未委托');
  await services.getByRole('link', { name: '发布采购公告' }).click();
  const form = owner.getByRole('main');
  await expect(form.getByLabel('投资项目代码')).toHaveValue('2026-539902-48-01-000955');
  await expect(form.getByLabel('项目名称')).toHaveValue(project);
  await expect(form.getByLabel('服务类型')).toHaveValue('env_impact');
  await form.getByLabel('服务范围与要求').fill('编制环境影响报告表,配合技术评审并按专家意见修改至通过。');
  await form.getByLabel('项目总投资').fill('3000');
  await form.getByLabel('最高限价').fill('150000');
  await form.getByLabel('报名截止时间').fill(cityLocal(new Date(Date.now() + 5 * 86_400_000)));
  await form.getByLabel('联系人').fill('王建国');
  await form.getByLabel('联系电话').fill('0870-6123456');
  await form.getByRole('button', { name: '保存草稿' }).click();
  await owner.getByRole('button', { name: '发布', exact: true }).click();
  await expect(owner.getByText('报名中', { exact: true })).toBeVisible();

  // The job page links back to its case, which now shows the job in the services lane.
  await owner.getByRole('region', { name: '所服务的审批办件' }).getByRole('link').click();
  await expect(services.getByRole('row', { name: /环境影响评价/ })).toContainText('报名中');
  const timeline = owner.getByRole('table', { name: '办件与中介服务时间轴' });
  await expect(timeline).toContainText('环境影响评价:发布采购公告');
  await expect(owner.getByRole('heading', { level: 1 }).locator('..').getByText('受理', { exact: true })).toBeVisible();

  // The approval system reports 审查中; the open page shows it without a reload.
  const event = await request.post(`${baseURL}/api/integrations/approval-cases/${caseNumber}/events`, {
    headers: { Authorization: `Bearer ${token}` },
    data: { event_id: `e2e-${suffix}`, at: new Date().toISOString(), kind: 'status', status: 'under_review', note: '进入技术审查' },
  });
  expect(event.ok()).toBeTruthy();
  await expect(owner.getByRole('heading', { level: 1 }).locator('..').getByText('审查中', { exact: true })).toBeVisible({ timeout: 15_000 });
  await expect(timeline).toContainText('审查中 · 进入技术审查(系统对接)');
  await expect(timeline).toContainText('环境影响评价:发布采购公告');
});
