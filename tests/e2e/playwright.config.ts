// End-to-end tests against the real release server with a fresh database seeded with demo data.
import { defineConfig } from '@playwright/test';
import * as path from 'node:path';

const port = Number(process.env.E2E_PORT ?? 18181);
const root = path.resolve(__dirname, '../..') + '/';
const dataDir = process.env.E2E_DATA_DIR ?? `${root}target/e2e-data`;
// A second server whose clock only moves when a test tells it to (`--test-clock`), with its
// own database, for the specs that must pass deadlines and publicity periods.
export const clockPort = Number(process.env.E2E_CLOCK_PORT ?? 18182);
const clockDataDir = `${dataDir}-clock`;
// With E2E_DATABASE_URL the main server serves that PostgreSQL database as it is (scripts/test
// migrates the demo city into one and runs the read-only specs against it).
const databaseUrl = process.env.E2E_DATABASE_URL;
const mainServer = databaseUrl
  ? `'${root}target/release/market-server' serve --addr 127.0.0.1:${port} --database-url '${databaseUrl}' --data-dir '${dataDir}' --dist '${root}dist'`
  : `rm -rf '${dataDir}' && '${root}target/release/market-server' serve --addr 127.0.0.1:${port} --data-dir '${dataDir}' --dist '${root}dist'`;

export default defineConfig({
  testDir: '.',
  timeout: 60_000,
  expect: { timeout: 10_000 },
  fullyParallel: false,
  workers: 1,
  forbidOnly: !!process.env.CI,
  reporter: [['list']],
  outputDir: `${root}target/e2e-results`,
  use: {
    baseURL: `http://127.0.0.1:${port}`,
    locale: 'zh-CN',
    trace: 'retain-on-failure',
    screenshot: 'only-on-failure',
    launchOptions: {
      // Debian's Chromium: Playwright must never download a browser of its own.
      executablePath: '/usr/bin/chromium',
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-dev-shm-usage',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--no-first-run',
      ],
    },
  },
  webServer: [
    {
      command: mainServer,
      url: `http://127.0.0.1:${port}/api/health`,
      reuseExistingServer: false,
      timeout: 60_000,
      stdout: 'ignore',
      stderr: 'pipe',
    },
    {
      command: `rm -rf '${clockDataDir}' && '${root}target/release/market-server' serve --test-clock --addr 127.0.0.1:${clockPort} --data-dir '${clockDataDir}' --dist '${root}dist'`,
      url: `http://127.0.0.1:${clockPort}/api/health`,
      reuseExistingServer: false,
      timeout: 60_000,
      stdout: 'ignore',
      stderr: 'pipe',
    },
  ],
});
