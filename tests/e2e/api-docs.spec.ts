// The OpenAPI document: the served file passes an independent OpenAPI 3.1 validator, and the
// app's reference page renders it, filtered by area through the query string.
import { expect, test } from '@playwright/test';
import SwaggerParser from '@apidevtools/swagger-parser';

test('the served OpenAPI document passes the OpenAPI 3.1 validator', async ({ request }) => {
  const response = await request.get('/api/openapi.json');
  expect(response.status()).toBe(200);
  const document = await response.json();
  expect(document.openapi).toBe('3.1.0');
  // validate() dereferences in place; keep the served copy for the checks below.
  const validated = await SwaggerParser.validate(structuredClone(document));
  expect(Object.keys(validated.paths)).toEqual(Object.keys(document.paths));
  expect(document.paths['/api/jobs/{id}/bids'].post.requestBody.content['application/json'].schema.$ref).toBe(
    '#/components/schemas/BidRequest',
  );
});

test('the reference page lists each area and opens the schema an operation uses', async ({ page }) => {
  await page.goto('/');
  await page.getByRole('link', { name: '接口文档' }).click();
  await expect(page).toHaveURL(/\/api-docs$/);
  await expect(page.getByRole('heading', { level: 1, name: '接口文档' })).toBeVisible();
  await expect(page.getByRole('link', { name: '下载 OpenAPI 文档(JSON)' })).toHaveAttribute(
    'href',
    '/api/openapi.json',
  );

  const areas = page.getByRole('navigation', { name: '接口分类' });
  await areas.getByRole('link', { name: '采购项目', exact: true }).click();
  await expect(page).toHaveURL(/\/api-docs\?tag=jobs$/);
  await expect(areas.getByRole('link', { name: '采购项目', exact: true })).toHaveAttribute('aria-current', 'page');
  await expect(page.getByRole('heading', { level: 2, name: /^采购项目/ })).toBeVisible();
  await expect(page.getByRole('heading', { level: 2, name: /^账户与会话/ })).toBeHidden();

  const createBid = page.getByRole('article', { name: 'POST /api/jobs/{id}/bids', exact: true });
  await expect(createBid).toContainText('提交报价');
  await expect(createBid).toContainText('需要登录');
  const parameters = createBid.getByRole('table', { name: '参数' });
  await expect(parameters.getByRole('row', { name: /^id 路径/ })).toBeVisible();
  await expect(parameters.getByRole('row', { name: /^x-requested-with 请求头/ })).toBeVisible();
  await expect(createBid.getByRole('table', { name: '响应' }).getByRole('row', { name: /^201 BidView/ })).toBeVisible();

  const schema = page.locator('#schema-BidRequest');
  await expect(schema).not.toHaveAttribute('open', '');
  await createBid.getByRole('link', { name: 'BidRequest' }).click();
  await expect(schema).toHaveAttribute('open', '');
  await expect(schema.getByRole('row', { name: /^price integer 是 The price in fen/ })).toBeVisible();

  // Reloading keeps the area, since the filter lives in the query string.
  await page.reload();
  await expect(page.getByRole('heading', { level: 2, name: /^账户与会话/ })).toBeHidden();
  await expect(page.getByRole('article', { name: 'GET /api/jobs', exact: true })).toBeVisible();
});
