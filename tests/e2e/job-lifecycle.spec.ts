// The whole life of a random-draw job across three sessions, on the server whose clock the test
// moves: post → three agencies bid → deadline → draw → verify ✓ → publicity → contract →
// delivery → acceptance → rating, which then shows on the agency's public page.
import { expect, test, type APIRequestContext, type Browser, type Page } from '@playwright/test';
import { clockPort } from './playwright.config';
import { DEMO, signIn } from './helpers';

const base = `http://127.0.0.1:${clockPort}`;
test.use({ baseURL: base });

const AGENCIES = [
  { account: DEMO.agency, name: '云州绿源环境科技有限公司' },
  { account: DEMO.agency2, name: '云州博远环境工程咨询有限公司' },
  { account: DEMO.agency3, name: '云州清源环保技术有限公司' },
];

async function serverNow(request: APIRequestContext): Promise<Date> {
  const response = await request.get(`${base}/api/test/clock`);
  expect(response.ok()).toBeTruthy();
  return new Date((await response.json()).now);
}

async function advance(request: APIRequestContext, seconds: number): Promise<void> {
  const response = await request.post(`${base}/api/test/clock`, {
    headers: { 'X-Requested-With': 'market-app' },
    data: { seconds },
  });
  expect(response.ok()).toBeTruthy();
}

/** City time (UTC+8) as a `datetime-local` value. */
function cityLocal(at: Date): string {
  return new Date(at.getTime() + 8 * 3600_000).toISOString().slice(0, 16);
}

async function openJob(browser: Browser, account: { username: string; password: string }, jobPath: string): Promise<Page> {
  const page = await signIn(browser, account, base);
  await page.goto(jobPath);
  return page;
}

test('a random-draw job runs from posting to a published rating', async ({ browser, request }) => {
  test.setTimeout(180_000);
  const project = `云州市东湖片区雨水管网改造工程(${Date.now().toString(36)})`;

  // The enterprise posts the job from its dashboard and publishes it.
  const owner = await signIn(browser, DEMO.enterprise, base);
  await owner.getByRole('banner').getByRole('link', { name: '我的项目' }).click();
  await owner.getByRole('link', { name: '发布采购公告' }).click();
  const form = owner.getByRole('main');
  await form.getByLabel('投资项目代码').fill('2026-539902-48-01-000777');
  await form.getByLabel('项目名称').fill(project);
  await form.getByLabel('审批事项', { exact: true }).fill('建设项目环境影响评价审批');
  await form.getByLabel('审批部门').fill('云州市生态环境局');
  await form.getByLabel('服务类型').selectOption({ label: '环境影响评价' });
  await form.getByLabel('服务范围与要求').fill('编制环境影响报告表,配合技术评审并按专家意见修改至通过。');
  await form.getByLabel('项目总投资').fill('5000');
  await form.getByLabel('最高限价').fill('200000');
  await form.getByLabel('财政资金比例').fill('100');
  await expect(form.getByLabel('随机抽取')).toBeChecked();
  const deadline = new Date((await serverNow(request)).getTime() + 10 * 60_000);
  await form.getByLabel('报名截止时间').fill(cityLocal(deadline));
  await form.getByLabel('联系人').fill('王建国');
  await form.getByLabel('联系电话').fill('0870-6123456');
  await form.getByRole('button', { name: '保存草稿' }).click();
  await expect(owner.getByRole('heading', { level: 1, name: project })).toBeVisible();
  await expect(owner.getByText('草稿', { exact: true })).toBeVisible();
  await owner.getByRole('button', { name: '发布', exact: true }).click();
  await expect(owner.getByText('报名中', { exact: true })).toBeVisible();
  const jobPath = new URL(owner.url()).pathname;
  const commitment = await owner.getByRole('region', { name: '随机抽取验证' }).locator('dd.mono').first().textContent();
  expect(commitment).toMatch(/^[0-9a-f]{64}$/);

  // Three agencies find it among the jobs they qualify for and bid; the fee check runs as they type.
  for (const [i, agency] of AGENCIES.entries()) {
    const page = await signIn(browser, agency.account, base);
    await page.getByRole('banner').getByRole('link', { name: '我的项目' }).click();
    const qualified = page.getByRole('table', { name: '可报名的项目' });
    await qualified.getByRole('link', { name: project }).click();
    const bid = page.getByRole('region', { name: '我的报价' });
    await bid.getByLabel('报价(元)').fill('1');
    await expect(bid.getByRole('status')).toContainText('异常低价');
    await bid.getByLabel('报价(元)').fill(String(150000 - i * 5000));
    await bid.getByLabel('服务期限').fill('40');
    await bid.getByLabel('服务承诺').fill('按期提交报告,配合技术评审直至通过。');
    await bid.getByLabel('技术方案简述').fill('现场踏勘、监测布点、影响预测与评价、编制报告表。');
    await bid.getByRole('button', { name: '提交报价' }).click();
    await expect(bid.getByText('报价已提交。截止前您可以修改或撤回。')).toBeVisible();
    await page.context().close();
  }

  // Bids stay sealed to the owner until the deadline; then the server opens them and draws.
  await owner.reload();
  await expect(owner.getByText('已收报价')).toBeVisible();
  await expect(owner.getByRole('region', { name: '报价情况' })).toHaveCount(0);
  await advance(request, 11 * 60);
  await owner.reload();
  await expect(owner.getByText('中选公示', { exact: true })).toBeVisible();
  const draw = owner.getByRole('region', { name: '随机抽取验证' });
  await draw.getByRole('button', { name: '验证' }).click();
  await expect(draw.getByRole('status')).toContainText('✓ 验证通过');
  const announcement = owner.getByRole('region', { name: '中选公告' });
  const winnerName = (await announcement.getByRole('link').textContent())!.trim();
  const winner = AGENCIES.find((a) => a.name === winnerName)!;
  expect(winner).toBeTruthy();
  await expect(owner.getByRole('region', { name: '业主操作' })).toContainText('公示期满且无未决异议后');
  await owner.context().close();

  // After the publicity period (5 days) the award is final; sessions have expired meanwhile.
  await advance(request, 5 * 24 * 3600 + 60);
  const owner2 = await openJob(browser, DEMO.enterprise, jobPath);
  await expect(owner2.getByRole('region', { name: '中选公告' })).toContainText('公示期满,结果生效');
  const actions = owner2.getByRole('region', { name: '业主操作' });
  await actions.getByLabel('开始日期').fill('2026-12-10');
  await actions.getByLabel('结束日期').fill('2027-02-28');
  await actions.getByRole('button', { name: '发出合同' }).click();
  await expect(actions.getByRole('status')).toContainText('合同已发出');

  const agency = await openJob(browser, winner.account, jobPath);
  const contract = agency.getByRole('region', { name: '合同' });
  await contract.getByRole('button', { name: '确认合同' }).click();
  await expect(agency.getByText('已签约', { exact: true })).toBeVisible();
  const delivery = agency.getByRole('region', { name: '成果交付' });
  await delivery.getByLabel('成果摘要').fill('环境影响报告表已编制完成,通过专家技术评审。');
  await delivery.getByLabel('报告编号').fill('YZHP-2026-777');
  await delivery.getByRole('button', { name: '提交成果' }).click();
  await expect(agency.getByText('已交付', { exact: true })).toBeVisible();

  await owner2.reload();
  await owner2.getByRole('region', { name: '业主操作' }).getByRole('button', { name: '验收通过' }).click();
  await expect(owner2.getByText('已验收', { exact: true })).toBeVisible();
  const rating = owner2.getByRole('region', { name: '业主操作' });
  await rating.getByLabel('时效').selectOption('4');
  await rating.getByLabel('评价内容').fill('报告质量高,沟通及时,收费规范。');
  await rating.getByRole('button', { name: '提交评价' }).click();
  await expect(owner2.getByText('已评价', { exact: true })).toBeVisible();

  // The rating is public on the agency's page, with its average and count.
  await owner2.getByRole('region', { name: '中选公告' }).getByRole('link', { name: winnerName }).click();
  const ratings = owner2.getByRole('region', { name: '服务评价' });
  await expect(ratings).toContainText('报告质量高,沟通及时,收费规范。');
  await expect(ratings).toContainText(project);
  await expect(ratings).toContainText('条评价');
});

test('the owner selects the lowest price in the browser and an upheld objection passes the award on', async ({ browser, request }) => {
  test.setTimeout(120_000);
  const project = `云州市北郊垃圾转运站建设项目(${Date.now().toString(36)})`;
  const owner = await signIn(browser, DEMO.enterprise, base);
  const deadline = new Date((await serverNow(request)).getTime() + 10 * 60_000);
  const headers = { 'X-Requested-With': 'market-app' };
  const created = await owner.request.post('/api/jobs', {
    headers,
    data: {
      project_code: '2026-539902-48-01-000778',
      project_name: project,
      approval_item: '建设项目环境影响评价审批',
      approving_department: '云州市生态环境局',
      service_type: 'env_impact',
      scope: '编制环境影响报告表,配合技术评审并按专家意见修改至通过。',
      investment: 3000 * 1_000_000,
      budget_ceiling: 20_000_000,
      fiscal_percent: 0,
      selection: { kind: 'lowest_price' },
      deadline: `${cityLocal(deadline)}:00+08:00`,
      contact_person: '王建国',
      contact_phone: '0870-6123456',
    },
  });
  expect(created.status()).toBe(201);
  const job = await created.json();
  expect((await owner.request.post(`/api/jobs/${job.id}/publish`, { headers })).ok()).toBeTruthy();

  // Three bids, cheapest from the third agency.
  const prices = [150_000, 140_000, 130_000];
  for (const [i, agency] of AGENCIES.entries()) {
    const page = await signIn(browser, agency.account, base);
    const bid = await page.request.post(`/api/jobs/${job.id}/bids`, {
      headers,
      data: { price: prices[i] * 100, service_days: 40, commitment: '按期提交报告。', proposal: '现场踏勘、预测评价、编制报告表。' },
    });
    expect(bid.status()).toBe(201);
    await page.context().close();
  }
  await advance(request, 11 * 60);

  await owner.goto(`/jobs/${job.id}`);
  await expect(owner.getByText('评审中', { exact: true })).toBeVisible();
  const actions = owner.getByRole('region', { name: '业主操作' });
  await expect(actions.getByRole('table', { name: '报价情况' }).getByRole('row')).toHaveCount(4);
  await expect(actions.getByRole('listitem').first()).toContainText(AGENCIES[2].name);
  await actions.getByRole('button', { name: '确认选取' }).click();
  const announcement = owner.getByRole('region', { name: '中选公告' });
  await expect(announcement.getByRole('link')).toHaveText(AGENCIES[2].name);

  // The runner-up objects during publicity; the owner upholds it and the award moves on.
  const runnerUp = await openJob(browser, AGENCIES[1].account, `/jobs/${job.id}`);
  const objections = runnerUp.getByRole('region', { name: '异议' });
  await objections.getByLabel('异议理由').fill('中选机构的报价低于其公示收费标准的最大下浮,属异常低价。');
  await objections.getByRole('button', { name: '提出异议' }).click();
  await expect(objections).toContainText('待答复');

  await owner.reload();
  const ownerObjections = owner.getByRole('region', { name: '异议' });
  await ownerObjections.getByLabel('异议成立').check();
  await ownerObjections.getByLabel('答复').fill('经核查异议属实,取消该机构中选资格。');
  await ownerObjections.getByRole('button', { name: '提交答复' }).click();
  await expect(owner.getByRole('region', { name: '中选公告' }).getByRole('link')).toHaveText(AGENCIES[1].name);
  await expect(owner.getByRole('region', { name: '异议' })).toContainText('异议成立');
  await expect(owner.getByRole('table', { name: '全过程记录' })).toContainText('下一候选机构');
});
