// Statistics and the regulator's console: the charts render from the demo data, the CSV holds
// the table's numbers, and a red flag leads to its evidence.
import { expect, test } from '@playwright/test';
import * as fs from 'node:fs';
import { DEMO, signIn } from './helpers';

test('the public statistics draw a chart over each table, and the CSV holds the same numbers', async ({ page }) => {
  await page.goto('/statistics');
  await expect(page.getByRole('heading', { level: 1, name: '统计分析' })).toBeVisible();
  for (const name of ['按月统计', '按服务类型统计', '每个项目的有效报价数分布']) {
    const chart = page.getByRole('img', { name });
    await expect(chart).toBeVisible();
    expect(await chart.locator('rect.chart__bar').count()).toBeGreaterThan(0);
    await expect(page.getByRole('table', { name })).toBeVisible();
  }
  // Regulator-only figures are not offered to the public.
  await expect(page.getByRole('img', { name: '各环节平均用时' })).toHaveCount(0);

  const figure = page.getByRole('region', { name: '按月统计' });
  const table = figure.getByRole('table', { name: '按月统计' });
  const shown = await table.locator('tbody tr').evaluateAll((rows) =>
    rows.map((row) =>
      Array.from(row.querySelectorAll('td')).map((td) => (td as HTMLElement).dataset.value ?? ''),
    ),
  );
  expect(shown.length).toBeGreaterThan(0);
  // On screen, amounts read as people write them; the exact figure stays in data-value.
  await expect(table.locator('tbody tr').first().locator('td').nth(3)).toHaveText(/元$/);
  // Months run without gaps, so the chart's time axis does not lie.
  const months = shown.map((row) => row[0]);
  for (let i = 1; i < months.length; i++) {
    const [y0, m0] = months[i - 1].split('-').map(Number);
    const [y1, m1] = months[i].split('-').map(Number);
    expect((y1 - y0) * 12 + (m1 - m0), `${months[i - 1]} → ${months[i]}`).toBe(1);
  }
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    figure.getByRole('link', { name: '下载 CSV' }).click(),
  ]);
  expect(download.suggestedFilename()).toBe('按月统计.csv');
  const csv = fs.readFileSync(await download.path(), 'utf8').replace(/^\uFEFF/, '');
  const [header, ...lines] = csv.trim().split('\r\n');
  const headings = await table.locator('thead th').allTextContents();
  expect(header.split(',')).toEqual(headings.map((h) => h.trim()));
  expect(lines.map((line) => line.split(','))).toEqual(shown);

  const [workbook] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('link', { name: '下载 Excel(XLSX)' }).click(),
  ]);
  expect(workbook.suggestedFilename()).toBe('中介超市统计数据.xlsx');
  // An XLSX file is a ZIP archive; its contents are checked cell by cell in the server tests.
  const bytes = fs.readFileSync(await workbook.path());
  expect(bytes.subarray(0, 2).toString('latin1')).toBe('PK');
});

test('a regulator sees step times, the ranking and red flags that lead to their evidence', async ({ browser }) => {
  const regulator = await signIn(browser, DEMO.regulator);
  await regulator.getByRole('banner').getByRole('link', { name: '统计' }).click();
  for (const name of ['各环节平均用时', '中选机构排行']) {
    await expect(regulator.getByRole('img', { name })).toBeVisible();
    expect(await regulator.getByRole('img', { name }).locator('rect.chart__bar').count()).toBeGreaterThan(0);
  }

  await regulator.getByRole('banner').getByRole('link', { name: '监管台' }).click();
  await expect(regulator.getByRole('heading', { level: 1, name: '收费监管台' })).toBeVisible();
  const offPlatform = regulator.getByRole('article', { name: '疑似场外指定中介' });
  await expect(offPlatform).toContainText('YZSB-2026-0120');
  await offPlatform.getByText('规则与 SQL').click();
  await expect(offPlatform).toContainText('审批办件已进入审查');
  await offPlatform.getByRole('link', { name: '办件 YZSB-2026-0120' }).click();
  await expect(regulator).toHaveURL(/\/cases\/\d+$/);
  await expect(regulator.getByText('YZSB-2026-0120').first()).toBeVisible();
});
