// The listing review cycle across two sessions: the agency edits and submits, the regulator
// asks for changes with a reason, the agency resubmits, the regulator approves, the public sees it.
import { expect, test } from '@playwright/test';
import { DEMO, signIn } from './helpers';

test('an agency listing goes through review and its fee standard is published', async ({ browser }) => {
  const agency = await signIn(browser, DEMO.agency);
  await agency.getByRole('link', { name: '修改机构信息' }).click();
  await expect(agency.getByRole('heading', { level: 1, name: '机构信息与收费标准' })).toBeVisible();

  // Bad input is explained in Chinese before anything is sent.
  const qualification = agency.getByRole('group', { name: '资质证书 1', exact: true });
  const expires = qualification.getByLabel('有效期至');
  const originalExpiry = await expires.inputValue();
  await expires.fill('2001-01-01');
  await expires.blur();
  await agency.getByRole('button', { name: '提交审核' }).click();
  await expect(qualification.getByText('有效期截止日期必须晚于发证日期')).toBeVisible();
  await expect(agency.getByText('请先修正标红的内容。')).toBeVisible();
  await expires.fill(originalExpiry);

  const fee = agency.getByRole('group', { name: '收费标准 1', exact: true });
  const minimum = fee.getByLabel('最低收费(元)');
  await minimum.fill('-5');
  await minimum.blur();
  await expect(fee.getByText('金额不能为负数')).toBeVisible();
  await minimum.fill('25000');

  const creditCode = agency.getByLabel('统一社会信用代码');
  const originalCode = await creditCode.inputValue();
  await creditCode.fill('91350100M000100Y44');
  await creditCode.blur();
  await expect(agency.getByText('统一社会信用代码校验位不正确,请核对后重新输入')).toBeVisible();
  await creditCode.fill(originalCode);

  const secondBound = fee.getByLabel('档次上限(万元,最后一档留空)').nth(1);
  const originalBound = await secondBound.inputValue();
  await secondBound.fill('500');
  await secondBound.blur();
  await expect(fee.getByText('计费档次的上限必须逐档递增,不能重叠或乱序')).toBeVisible();
  await secondBound.fill(originalBound);
  await agency.getByLabel('联系电话').fill('0870-6999888');
  await agency.getByRole('button', { name: '提交审核' }).click();
  await expect(agency).toHaveURL(/\/account$/);
  await expect(agency.getByRole('main')).toContainText('待审核');

  // The regulator sees it in the queue and reviews the diff.
  const regulator = await signIn(browser, DEMO.regulator);
  const queueLink = regulator.getByRole('banner').getByRole('link', { name: /审核队列/ });
  await expect(queueLink.locator('.count-badge')).toHaveText(/^\d+$/);
  await queueLink.click();
  const row = regulator.getByRole('row', { name: /云州绿源环境科技有限公司/ });
  await row.getByRole('link', { name: '审核' }).click();
  await expect(regulator.getByRole('heading', { level: 1, name: '审核:云州绿源环境科技有限公司' })).toBeVisible();
  await regulator.getByLabel('只看变更项').check();
  const phoneRow = regulator.getByRole('row', { name: /联系电话/ });
  await expect(phoneRow).toContainText('0870-6999888');
  const feeRow = regulator.getByRole('row', { name: /收费标准 · 环境影响评价/ });
  await expect(feeRow).toHaveClass(/diff__row--fee/);
  await expect(feeRow).toContainText('最低收费 2.5万元');

  // A decision needs a reason.
  await regulator.getByLabel('退回修改').check();
  await regulator.getByRole('button', { name: '提交审核结论' }).click();
  await expect(regulator.getByText('请填写理由(2–500 字)')).toBeVisible();
  await regulator.getByLabel('理由').fill('请在服务承诺中写明成果提交时限');
  await regulator.getByRole('button', { name: '提交审核结论' }).click();
  await expect(regulator).toHaveURL(/\/review$/);

  // The agency sees the reason, fixes the listing and resubmits.
  await agency.reload();
  await expect(agency.getByRole('main')).toContainText('退回修改');
  await expect(agency.getByRole('main')).toContainText('请在服务承诺中写明成果提交时限');
  await agency.getByRole('link', { name: '修改机构信息' }).click();
  const commitment = agency.getByLabel('服务承诺');
  await commitment.fill('严格执行公示收费标准;自合同签订之日起 30 个工作日内提交成果,对成果质量负责。');
  await agency.getByRole('button', { name: '提交审核' }).click();
  await expect(agency).toHaveURL(/\/account$/);

  // The regulator approves.
  await regulator.goto('/review');
  await regulator.getByRole('row', { name: /云州绿源环境科技有限公司/ }).getByRole('link', { name: '审核' }).click();
  await regulator.getByLabel('审核通过').check();
  await regulator.getByLabel('理由').fill('已补正,符合规定');
  await regulator.getByRole('button', { name: '提交审核结论' }).click();
  await expect(regulator).toHaveURL(/\/review$/);
  await expect(regulator.getByRole('row', { name: /云州绿源环境科技有限公司/ })).toHaveCount(0);

  // The public page shows the new listing, its fee standard, and the calculator quotes it.
  const visitor = await (await browser.newContext()).newPage();
  await visitor.goto('/?q=%E7%BB%BF%E6%BA%90%E7%8E%AF%E5%A2%83');
  await visitor.getByRole('link', { name: '云州绿源环境科技有限公司' }).click();
  await expect(visitor.getByText('0870-6999888')).toBeVisible();
  await expect(visitor.getByText('30 个工作日内提交成果')).toBeVisible();
  await expect(visitor.getByText(/按项目总投资分档累进计费:.*最低收费 2.5万元/)).toBeVisible();
  const quote = visitor.getByRole('table', { name: '费用测算' }).getByRole('cell').first();
  await expect(quote).toHaveText('该收费标准按项目总投资计费,请填写项目总投资');
  // Nothing typed yet is not an error, and no standard here is priced per unit.
  await expect(quote).toHaveClass(/quote--pending/);
  await expect(visitor.getByLabel(/^工作量/)).toHaveCount(0);
  await visitor.getByLabel('项目总投资(万元)').fill('100');
  // 100万元 falls in the first bracket, whose charge is below the minimum: the minimum applies.
  await expect(quote).toHaveText('2.5万元');
  await expect(quote).not.toHaveClass(/quote--pending/);
  await visitor.getByLabel('项目总投资(万元)').fill('50000');
  await expect(quote).toHaveText(/^[\d,.]+万元$/);
});
