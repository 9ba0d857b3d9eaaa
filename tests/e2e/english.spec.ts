// A reader who chose English reads no Chinese system text. A job goes through award, contract,
// delivery and rating in the English UI, and then the job, case, notification and oversight
// pages are searched for CJK characters outside what people typed (names, notes, titles).
import { expect, test, type APIRequestContext, type Browser, type Page } from '@playwright/test';
import { clockPort } from './playwright.config';
import { DEMO } from './helpers';

const base = `http://127.0.0.1:${clockPort}`;
test.use({ baseURL: base });
const headers = { 'X-Requested-With': 'market-app' };

/** CJK ideographs and CJK punctuation (、。「」…), and full-width forms. */
const CJK = /[\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uff00-\uffef]/;

/** Fields whose strings the system writes (in Chinese, for API clients); everything else in an
 * API answer is data: what a person typed or a catalogue a regulator maintains. */
const NOTE_BODIES = new Set(['listing_decision', 'case_status', 'technical_review', 'complaint_moved']);
const SYSTEM_FIELDS = new Set(['message', 'message_en', 'summary', 'label', 'detail']);

function collectData(value: unknown, into: Set<string>, field = ''): void {
  if (typeof value === 'string') {
    if (!SYSTEM_FIELDS.has(field) && CJK.test(value)) into.add(value);
  } else if (Array.isArray(value)) {
    for (const item of value) collectData(item, into, field);
  } else if (value && typeof value === 'object') {
    const record = value as Record<string, unknown>;
    // A notification's title and body are system text, except the note a person wrote as the
    // body of a notification about a case, a listing decision or a complaint step.
    const notification = 'link' in record && 'read' in record && 'title' in record;
    const subject = record.subject && typeof record.subject === 'object' ? Object.keys(record.subject)[0] : '';
    for (const [key, item] of Object.entries(record)) {
      const written = key === 'body' && NOTE_BODIES.has(subject);
      if (notification && (key === 'title' || key === 'body') && !written) continue;
      collectData(item, into, key);
    }
  }
}

/** A page in English that records the data strings of every API answer it receives. */
class EnglishPage {
  readonly data = new Set<string>();
  private pending: Promise<void>[] = [];

  constructor(readonly page: Page) {
    page.on('response', (response) => {
      const type = response.headers()['content-type'] ?? '';
      if (!response.url().includes('/api/') || !type.includes('application/json')) return;
      this.pending.push(
        response.json().then(
          (body) => collectData(body, this.data),
          () => undefined,
        ),
      );
    });
  }

  /** Every text the page shows (and its accessible labels) that still has CJK once the data
   * strings are taken out. The language switcher names 中文 in its own language (`lang`). */
  async systemChinese(): Promise<string[]> {
    await Promise.all(this.pending);
    const texts: string[] = await this.page.evaluate(() => {
      const found: string[] = [];
      const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT | NodeFilter.SHOW_ELEMENT);
      for (let node = walker.nextNode(); node; node = walker.nextNode()) {
        const element = node instanceof Element ? node : node.parentElement;
        if (!element || element.closest('script, style, noscript, [lang^="zh"]')) continue;
        if (node instanceof Element) {
          for (const name of ['aria-label', 'title', 'placeholder']) {
            const value = node.getAttribute(name);
            if (value) found.push(value);
          }
        } else if (node.textContent?.trim()) {
          found.push(node.textContent);
        }
      }
      return found;
    });
    const data = [...this.data].sort((a, b) => b.length - a.length);
    return texts.filter((text) => CJK.test(data.reduce((rest, d) => rest.split(d).join(' '), text)));
  }
}

async function signInEnglish(browser: Browser, account: { username: string; password: string }): Promise<EnglishPage> {
  const context = await browser.newContext({ baseURL: base, locale: 'en-GB' });
  await context.addInitScript(() => window.localStorage.setItem('market.locale', 'en'));
  const page = await context.newPage();
  const english = new EnglishPage(page);
  await page.goto('/login');
  const form = page.getByRole('main');
  await form.getByLabel('User name').fill(account.username);
  await form.getByLabel('Password', { exact: true }).fill(account.password);
  await form.getByRole('button', { name: 'Log in' }).click();
  await page.waitForURL(/\/account$/);
  return english;
}

async function apiSignIn(request: APIRequestContext, account: { username: string; password: string }): Promise<void> {
  const response = await request.post(`${base}/api/auth/login`, { headers, data: account });
  expect(response.ok()).toBeTruthy();
}

async function advance(request: APIRequestContext, seconds: number): Promise<void> {
  const response = await request.post(`${base}/api/test/clock`, { headers, data: { seconds } });
  expect(response.ok()).toBeTruthy();
}

function cityLocal(at: Date): string {
  return new Date(at.getTime() + 8 * 3600_000).toISOString().slice(0, 16);
}

async function expectNoSystemChinese(english: EnglishPage, where: string): Promise<void> {
  expect(await english.systemChinese(), `Chinese system text on ${where}`).toEqual([]);
}

test('an English reader takes a job through award, contract and rating and reads no Chinese system text', async ({ browser, playwright }) => {
  test.setTimeout(180_000);
  const suffix = Date.now().toString(36).toUpperCase();
  const project = `East Lake drainage upgrade (${suffix})`;
  const projectCode = `2026-539902-48-01-${String(Date.now() % 1_000_000).padStart(6, '0')}`;
  const api = async (account: { username: string; password: string }) => {
    const context = await playwright.request.newContext({ baseURL: base });
    await apiSignIn(context, account);
    return context;
  };

  // Set-up through the API: the officer registers the case, the owner posts the job it needs,
  // and three agencies bid.
  const owner = await api(DEMO.enterprise);
  const me = await (await owner.get('/api/auth/me')).json();
  const officer = await api(DEMO.officer);
  const items = await (await officer.get('/api/approval-items')).json();
  const item = items.find((i: { required_services: string[] }) => i.required_services.includes('env_impact'));
  const now = new Date((await (await owner.get('/api/test/clock')).json()).now);
  const registered = await officer.post('/api/cases', {
    headers,
    data: {
      case_number: `YZHP-EN-${suffix}`,
      project_code: projectCode,
      project_name: project,
      item_code: item.code,
      applicant_credit_code: me.credit_code,
      received_at: now.toISOString(),
    },
  });
  expect(registered.status()).toBe(201);
  const caseId = (await registered.json()).summary.id;
  const created = await owner.post('/api/jobs', {
    headers,
    data: {
      project_code: projectCode,
      project_name: project,
      approval_item: item.name,
      approving_department: item.department,
      service_type: 'env_impact',
      scope: 'Prepare the environmental impact report form and see it through technical review.',
      investment: 3000 * 1_000_000,
      budget_ceiling: 20_000_000,
      fiscal_percent: 0,
      selection: { kind: 'lowest_price' },
      deadline: `${cityLocal(new Date(now.getTime() + 10 * 60_000))}:00+08:00`,
      contact_person: 'Wang Jianguo',
      contact_phone: '0870-6123456',
    },
  });
  expect(created.status()).toBe(201);
  const jobId = (await created.json()).id;
  expect((await owner.post(`/api/jobs/${jobId}/publish`, { headers })).ok()).toBeTruthy();
  const bidders = [DEMO.agency, DEMO.agency2, DEMO.agency3];
  for (const [i, account] of bidders.entries()) {
    const agency = await api(account);
    const bid = await agency.post(`/api/jobs/${jobId}/bids`, {
      headers,
      data: { price: (150_000 - i * 10_000) * 100, service_days: 40, commitment: 'On time.', proposal: 'Survey, predict, report.' },
    });
    expect(bid.status()).toBe(201);
  }
  await advance(owner, 11 * 60);

  // The owner selects the lowest price in English.
  const jobPath = `/jobs/${jobId}`;
  let ownerPage = await signInEnglish(browser, DEMO.enterprise);
  await ownerPage.page.goto(jobPath);
  let actions = ownerPage.page.getByRole('region', { name: 'Owner actions' });
  await actions.getByRole('button', { name: 'Confirm selection' }).click();
  await expect(ownerPage.page.getByRole('region', { name: 'Award announcement' }).getByRole('link')).toBeVisible();
  await expectNoSystemChinese(ownerPage, 'the job page in publicity');

  // After the publicity period the owner sends the contract (sessions expired meanwhile).
  await advance(owner, 5 * 24 * 3600 + 60);
  await ownerPage.page.context().close();
  ownerPage = await signInEnglish(browser, DEMO.enterprise);
  await ownerPage.page.goto(jobPath);
  actions = ownerPage.page.getByRole('region', { name: 'Owner actions' });
  await actions.getByLabel('Starts').fill('2026-12-20');
  await actions.getByLabel('Ends').fill('2027-03-31');
  await actions.getByRole('button', { name: 'Send contract' }).click();
  await expect(actions.getByRole('status')).toBeVisible();

  // The winner, the cheapest bidder, confirms and delivers.
  const winner = await signInEnglish(browser, DEMO.agency3);
  await winner.page.goto(jobPath);
  await winner.page.getByRole('region', { name: 'Contract' }).getByRole('button', { name: 'Confirm the contract' }).click();
  const delivery = winner.page.getByRole('region', { name: 'Delivery' });
  await delivery.getByLabel('Summary of results').fill('The report form passed expert review.');
  await delivery.getByLabel('Report number').fill(`EN-${suffix}`);
  await delivery.getByRole('button', { name: 'Deliver' }).click();
  await expect(delivery.getByRole('button', { name: 'Deliver' })).toHaveCount(0);
  await expectNoSystemChinese(winner, 'the job page as the winner');

  // The owner accepts and rates.
  await ownerPage.page.reload();
  actions = ownerPage.page.getByRole('region', { name: 'Owner actions' });
  await actions.getByRole('button', { name: 'Accept', exact: true }).click();
  await actions.getByLabel('Timeliness').selectOption('4');
  await actions.getByLabel('Comment').fill('Good report, clear communication.');
  await actions.getByRole('button', { name: 'Submit rating' }).click();
  await expect(actions.getByRole('button', { name: 'Submit rating' })).toHaveCount(0);
  const rated = await (await owner.get(`/api/jobs/${jobId}`)).json();
  expect(rated.state).toBe('rated');
  await ownerPage.page.reload();
  await expect(ownerPage.page.getByRole('table', { name: /./ }).first()).toBeVisible();
  await expectNoSystemChinese(ownerPage, 'the rated job page');

  // The case the job served, with both timelines.
  await ownerPage.page.goto(`/cases/${caseId}`);
  await expect(ownerPage.page.getByRole('heading', { level: 1, name: project })).toBeVisible();
  await expectNoSystemChinese(ownerPage, 'the case page');

  // Every notification the owner and the winner received.
  for (const reader of [ownerPage, winner]) {
    await reader.page.goto('/notifications');
    await expect(reader.page.getByRole('link', { name: new RegExp(project.replace(/[()]/g, '.')) }).first()).toBeVisible();
    await expectNoSystemChinese(reader, 'the notifications page');
  }

  // The regulator's console: every red flag, its evidence and its rule.
  const regulator = await signInEnglish(browser, DEMO.regulator);
  await regulator.page.goto('/oversight');
  await expect(regulator.page.getByRole('heading', { level: 1 })).toBeVisible();
  await expect(regulator.page.locator('.flag').first()).toBeVisible();
  await expectNoSystemChinese(regulator, 'the oversight console');
});
