// Shared helpers for the end-to-end tests.

const CHARSET = '0123456789ABCDEFGHJKLMNPQRTUWXY';
const WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];

/** A unified social credit code with a valid check character (GB 32100-2015). */
export function creditCode(seed: number): string {
  const org = String(seed % 1_000_000_000).padStart(9, '0');
  const body = `91539902${org}`;
  const sum = [...body].reduce((acc, ch, i) => acc + CHARSET.indexOf(ch) * WEIGHTS[i], 0);
  return body + CHARSET[(31 - (sum % 31)) % 31];
}

/** A user name that no earlier run has taken. */
export function uniqueUsername(prefix: string): string {
  return `${prefix}_${Date.now().toString(36)}${Math.floor(Math.random() * 1000)}`;
}

import type { Browser, Page } from '@playwright/test';

export const DEMO = {
  enterprise: { username: 'demo_enterprise', password: 'Qiye@2026demo' },
  agency: { username: 'demo_agency', password: 'Zhongjie@2026demo' },
  regulator: { username: 'demo_regulator', password: 'Jianguan@2026demo' },
  agency2: { username: 'demo_agency2', password: 'Zhongjie@2026demo' },
  agency3: { username: 'demo_agency3', password: 'Zhongjie@2026demo' },
  officer: { username: 'demo_officer', password: 'Shenpi@2026demo' },
};

/** A fresh browser context (its own cookies) signed in through the login form. */
export async function signIn(
  browser: Browser,
  account: { username: string; password: string },
  baseURL?: string,
): Promise<Page> {
  const context = await browser.newContext(baseURL ? { baseURL } : {});
  const page = await context.newPage();
  await page.goto('/login');
  const form = page.getByRole('main');
  await form.getByLabel('用户名').fill(account.username);
  await form.getByLabel('密码').fill(account.password);
  await form.getByRole('button', { name: '登录' }).click();
  await page.waitForURL(/\/account$/);
  return page;
}
