// A complaint end to end: an enterprise files it from the agency's page, a regulator accepts it,
// the agency answers, the regulator upholds it, and the outcome is published without the
// complainant while the agency's credit record counts it.
import { expect, test } from '@playwright/test';
import { DEMO, signIn } from './helpers';

test('a complaint goes from filing to a published anonymous outcome that lowers the credit score', async ({ browser }) => {
  const agency = await signIn(browser, DEMO.agency);
  const me = await (await agency.request.get('/api/auth/me')).json();
  const before = await (await agency.request.get(`/api/agencies/${me.agency_id}/credit`)).json();
  const title = `报告质量问题 ${Date.now().toString(36)}`;

  const enterprise = await signIn(browser, DEMO.enterprise);
  await enterprise.goto(`/agencies/${me.agency_id}`);
  const credit = enterprise.getByRole('region', { name: '信用记录' });
  await expect(credit).toContainText(`${before.score.score}`);
  await credit.getByRole('link', { name: '我要投诉' }).click();
  const form = enterprise.getByRole('main');
  // The form names what is wrong before anything is sent.
  await form.getByRole('button', { name: '提交投诉' }).click();
  await expect(form.getByLabel('投诉标题')).toHaveAttribute('aria-invalid', 'true');
  await form.getByLabel('投诉类别').selectOption({ label: '服务质量' });
  await form.getByLabel('投诉标题').fill(title);
  await form.getByLabel('投诉事实与请求').fill('环评报告表两次技术评审未通过,机构拒绝按评审意见修改,延误审批近两个月。');
  await form.getByLabel(/^证据/).fill('项目 #3 技术评审意见');
  await form.getByRole('button', { name: '提交投诉' }).click();
  await expect(enterprise.getByRole('heading', { level: 1, name: title })).toBeVisible();
  await expect(enterprise.getByText('待受理', { exact: true })).toBeVisible();
  const url = enterprise.url();

  const regulator = await signIn(browser, DEMO.regulator);
  await regulator.getByRole('banner').getByRole('link', { name: '投诉' }).click();
  await regulator.getByRole('table', { name: '全部投诉' }).getByRole('link', { name: title }).click();
  const acceptance = regulator.getByRole('form', { name: '受理意见' });
  await acceptance.getByLabel('意见').fill('材料齐全,予以受理');
  await acceptance.getByRole('button', { name: '受理', exact: true }).click();
  await expect(regulator.getByText('已受理,待答复')).toBeVisible();

  await agency.goto(url);
  const answer = agency.getByRole('form', { name: '被投诉方答复' });
  await answer.getByLabel('被投诉方答复').fill('已按评审意见补充监测数据并重新提交。');
  await answer.getByRole('button', { name: '提交答复' }).click();
  await expect(agency.getByText('已答复,待处理')).toBeVisible();

  await regulator.reload();
  const decision = regulator.getByRole('form', { name: '处理决定' });
  await decision.getByLabel('理由').fill('经核查,报告质量问题属实');
  await decision.getByRole('button', { name: '投诉成立' }).click();
  await expect(regulator.getByText('投诉成立', { exact: true }).first()).toBeVisible();

  // Anyone reads the outcome; the complainant is not named.
  const visitor = await browser.newPage();
  await visitor.goto('/complaints');
  await visitor.getByRole('table', { name: '处理结果公示' }).getByRole('link', { name: title }).click();
  await expect(visitor.getByText('经核查,报告质量问题属实')).toBeVisible();
  await expect(visitor.getByText('(匿名公示)')).toBeVisible();
  await expect(visitor.getByText('云州市城市建设投资集团有限公司')).toHaveCount(0);

  await visitor.goto(`/agencies/${me.agency_id}`);
  const after = visitor.getByRole('region', { name: '信用记录' });
  await expect(after).toContainText(`${before.score.score - 10}`);
  await expect(after.getByRole('link', { name: title })).toBeVisible();
});

test('three upheld quality complaints propose a suspension that the regulator dismisses with a reason', async ({ browser }) => {
  const headers = { 'X-Requested-With': 'market-app' };
  const agency = await signIn(browser, DEMO.agency3);
  const me = await (await agency.request.get('/api/auth/me')).json();
  const enterprise = await signIn(browser, DEMO.enterprise);
  const regulator = await signIn(browser, DEMO.regulator);
  for (const n of [1, 2, 3]) {
    const filed = await enterprise.request.post('/api/complaints', {
      headers,
      data: {
        target: { kind: 'agency', id: me.agency_id },
        category: 'quality',
        title: `成果质量问题第 ${n} 次 ${Date.now().toString(36)}`,
        description: '交付成果未达到合同约定的深度,补正后仍不符合要求。',
        evidence: [],
        attachments: [],
      },
    });
    expect(filed.status()).toBe(201);
    const { id } = await filed.json();
    for (const [page, step, data] of [
      [regulator, 'accept', { text: '予以受理' }],
      [agency, 'answer', { text: '已按要求整改' }],
      [regulator, 'decide', { upheld: true, reason: '经核查,成果质量不符合合同约定' }],
    ] as const) {
      const response = await page.request.post(`/api/complaints/${id}/${step}`, { headers, data });
      expect(response.status(), `${step} #${n}`).toBe(200);
    }
  }

  await regulator.getByRole('banner').getByRole('link', { name: '监管台' }).click();
  const proposals = regulator.getByRole('region', { name: '自动暂停建议' });
  const item = proposals.getByRole('listitem').filter({ hasText: me.organization_name }).first();
  await expect(item.getByRole('link', { name: '前往机构页面确认暂停' })).toHaveAttribute('href', `/agencies/${me.agency_id}`);
  // A dismissal without a reason is refused before anything is sent, and nothing is lost.
  await item.getByRole('button', { name: '驳回建议' }).click();
  await expect(item.getByLabel('驳回理由')).toHaveAttribute('aria-invalid', 'true');
  await expect(item).toContainText('请填写理由');
  await item.getByLabel('驳回理由').fill('三件投诉均针对同一项目,已一并整改到位');
  await item.getByRole('button', { name: '驳回建议' }).click();
  await expect(proposals.getByRole('link', { name: '前往机构页面确认暂停' })).toHaveCount(0);
});
