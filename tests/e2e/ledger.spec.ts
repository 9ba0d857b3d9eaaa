// The tamper-evident job log: an event edited directly in the database is caught by the
// browser's own recomputation on the job page and by the server's audit on the public ledger.
import { expect, test } from '@playwright/test';
import { execFileSync } from 'node:child_process';
import { OwnServer } from './server';

const server = OwnServer.fresh(18183, 'ledger');

test.beforeAll(async () => {
  await server.start();
});

test.afterAll(async () => {
  await server.stop();
});

/** What an insider with database access would do: drop the guard and rewrite one event. */
function alterEvent(databasePath: string, jobId: number, seq: number) {
  const script = [
    'import sqlite3, sys',
    'db = sqlite3.connect(sys.argv[1])',
    'db.execute("DROP TRIGGER IF EXISTS job_events_are_append_only_update")',
    `db.execute("UPDATE job_events SET detail = detail || '(已改)' WHERE job_id = ? AND seq = ?", (int(sys.argv[2]), int(sys.argv[3])))`,
    'db.commit()',
  ].join('\n');
  execFileSync('python3', ['-c', script, databasePath, String(jobId), String(seq)]);
}

test('an event altered in the database breaks the chain in the browser and in the audit', async ({ browser }) => {
  const context = await browser.newContext({ baseURL: server.baseURL });
  const page = await context.newPage();
  const jobs = await (await page.request.get('/api/jobs?per_page=50')).json();
  let jobId = 0;
  for (const job of jobs.items) {
    const events = await (await page.request.get(`/api/jobs/${job.id}/events`)).json();
    if (events.length >= 3) {
      jobId = job.id;
      break;
    }
  }
  expect(jobId).toBeGreaterThan(0);

  await page.goto(`/jobs/${jobId}`);
  await page.getByRole('button', { name: '验证记录' }).click();
  await expect(page.getByRole('status').filter({ hasText: '记录完整' })).toBeVisible();

  await page.goto('/ledger');
  await expect(page.getByRole('heading', { level: 1, name: '交易记录存证公示' })).toBeVisible();
  await expect(page.getByRole('table', { name: '日根哈希' }).getByRole('row')).not.toHaveCount(1);
  await page.getByRole('button', { name: '全部校验' }).click();
  await expect(page.getByRole('status').filter({ hasText: '全部完整' })).toBeVisible();

  alterEvent(server.databasePath, jobId, 2);

  await page.getByRole('button', { name: '全部校验' }).click();
  const problems = page.getByRole('alert');
  await expect(problems).toContainText('发现问题');
  await expect(problems).toContainText('第 2 条记录的内容与其哈希不符');
  await problems.getByRole('link', { name: `项目 #${jobId}` }).click();

  await expect(page).toHaveURL(new RegExp(`/jobs/${jobId}$`));
  await page.getByRole('button', { name: '验证记录' }).click();
  await expect(page.getByRole('alert')).toContainText('记录被改动:第 2 条记录的内容与其哈希不符,已被改动');
  await context.close();
});
