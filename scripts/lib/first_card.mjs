// Time until the first agency card is on screen, as a visitor on a slow phone sees it: headless
// Chromium with Lighthouse's "Slow 4G" network (562.5 ms round trip, 1.47 Mbit/s down,
// 675 kbit/s up) and 4x CPU slowdown, emulated through the DevTools protocol, from a cold cache.
// Usage: node first_card.mjs URL [RUNS]. Prints each run and the median, in milliseconds
// since navigation start.
//
// The time is taken inside the page: a MutationObserver notes when the first card enters the
// document and the frame that paints it. Asking from outside (Playwright polling, then a
// round trip to read the clock) added about half a second under the 4x CPU slowdown. Each run
// uses a new browser context, which starts with an empty cache; DevTools' "disable cache" is
// not used because it also defeats <link rel=preload>, which a real cold visit benefits from.
import { chromium } from '@playwright/test';

const url = process.argv[2];
const runs = Number(process.argv[3] ?? 3);
const browser = await chromium.launch({
  executablePath: process.env.CHROME_PATH ?? '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage'],
});
const times = [];
for (let run = 0; run < runs; run++) {
  const context = await browser.newContext({ viewport: { width: 412, height: 823 } });
  await context.addInitScript(() => {
    new MutationObserver((_, observer) => {
      if (document.querySelector('.agency-card')) {
        observer.disconnect();
        requestAnimationFrame(() => {
          window.__firstCard = performance.now();
        });
      }
    }).observe(document, { subtree: true, childList: true });
  });
  const page = await context.newPage();
  const cdp = await context.newCDPSession(page);
  await cdp.send('Network.enable');
  await cdp.send('Network.emulateNetworkConditions', {
    offline: false,
    latency: 562.5,
    downloadThroughput: (1474.56 * 1000) / 8,
    uploadThroughput: (675 * 1000) / 8,
  });
  await cdp.send('Emulation.setCPUThrottlingRate', { rate: 4 });
  await page.goto(url, { waitUntil: 'commit', timeout: 120_000 });
  await page.waitForFunction(() => window.__firstCard !== undefined, null, { timeout: 120_000 });
  const ms = await page.evaluate(() => window.__firstCard);
  times.push(Math.round(ms));
  console.log(`  run ${run + 1}: first agency card after ${Math.round(ms)} ms`);
  await context.close();
}
await browser.close();
times.sort((a, b) => a - b);
console.log(`  median of ${runs}: ${times[Math.floor(times.length / 2)]} ms (Slow 4G + 4x CPU)`);
