// Procurement notices: the public list, a job's award announcement and timeline, and the random
// draw verified in the browser with the same domain code the server used.
import { expect, test } from '@playwright/test';

test('anyone can verify a published random draw in the browser', async ({ page }) => {
  await page.goto('/');
  await page.getByRole('banner').getByRole('link', { name: '采购公告' }).click();
  await expect(page.getByRole('heading', { level: 1, name: '中介服务采购公告' })).toBeVisible();
  await page.getByLabel('状态').selectOption({ label: '中选公示' });
  await expect(page).toHaveURL(/state=publicity/);
  await page.getByRole('link', { name: '云州市滨湖片区污水处理厂提标改造工程' }).click();

  const announcement = page.getByRole('region', { name: '中选公告' });
  await expect(announcement).toContainText('随机抽取');
  const winner = (await announcement.getByRole('link').textContent())!.trim();
  expect(winner.length).toBeGreaterThan(2);

  const draw = page.getByRole('region', { name: '随机抽取验证' });
  await expect(draw).toContainText(/[0-9a-f]{64}/);
  await draw.getByRole('button', { name: '验证' }).click();
  await expect(draw.getByRole('status')).toHaveText('✓ 验证通过:承诺值、候选名单哈希与中选结果均与公开数据一致');

  const timeline = page.getByRole('table', { name: '全过程记录' });
  await expect(timeline).toContainText('发布采购公告');
  await expect(timeline).toContainText('候选名单已固定');
  await expect(timeline).toContainText('公开种子并抽取');
});

test('an open job says bids are sealed and shows a sealed draw', async ({ page }) => {
  await page.goto('/jobs?state=published');
  await page.getByRole('link', { name: '临港区新能源汽车零部件产业园' }).click();
  await expect(page.getByText('已收报价')).toBeVisible();
  // Nobody learns before opening whether bids exist, nor how many.
  await expect(page.getByText('开标后公布')).toBeVisible();
  await expect(page.getByText('同分规则')).toBeVisible();
  await expect(page.getByText('不存在同分')).toBeVisible();
  const draw = page.getByRole('region', { name: '随机抽取验证' });
  await expect(draw).toContainText('尚未抽取,种子将在报价截止后公开。');
  await expect(draw.getByRole('button', { name: '验证' })).toHaveCount(0);
  await expect(page.getByRole('region', { name: '中选公告' })).toHaveCount(0);
});
