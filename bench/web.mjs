// How fast the workspace's pages become usable in a real browser (issue 6:
// "a page of the workspace is interactive in well under a second on the demo
// database"). Run by `make bench-web`:
//
//   node bench/web.mjs URL LOGIN PASSWORD [rounds]
//
// For each page it opens the hash in a fresh tab of a signed-in Chromium
// (Debian's, headless) and reads two times off the page itself:
//   - ready: from navigation start to the app's 'kesu:rendered' mark (the
//     page's data loaded and shown, its controls live);
//   - lcp-free: DOMContentLoaded, for the cost of the scripts themselves.
// Prints the median and the slowest of `rounds` visits (default 15) and the
// machine it ran on. Cold first visits are left out: browsers cache.
import os from 'node:os';
import { chromium } from 'playwright-core';

const [url, login, password, roundsArg] = process.argv.slice(2);
if (!url || !login || !password) {
  console.error('usage: node bench/web.mjs URL LOGIN PASSWORD [rounds]');
  process.exit(2);
}
const rounds = Number(roundsArg || 15);
const median = (a) => { const s = [...a].sort((x, y) => x - y); return s[Math.floor(s.length / 2)]; };

const browser = await chromium.launch({ executablePath: process.env.KESU_CHROMIUM || '/usr/bin/chromium', headless: true, args: ['--no-sandbox', '--disable-gpu'] });
const context = await browser.newContext({ viewport: { width: 1280, height: 860 }, locale: 'zh-CN' });
const page = await context.newPage();
await page.goto(url + '/');
await page.getByLabel('用户名').fill(login);
await page.getByLabel('密码').fill(password);
await page.getByRole('button', { name: '登录' }).click();
await page.locator('header.topbar').waitFor();

// A complaint to open: the newest one the list shows.
const list = await page.evaluate(async () => (await fetch('/api/complaints?limit=1')).json());
const number = list.items?.[0]?.number;
const pages = [['home', '#/'], ['list', '#/complaints'], ['list-search', '#/complaints?q=电梯'],
  ['intake', '#/intake'], ['admin', '#/admin']];
if (number) pages.splice(2, 0, ['complaint', `#/complaints/${number}`]);

async function visit(hash) {
  const tab = await context.newPage();
  await tab.goto(`${url}/${hash}`);
  const handle = await tab.waitForFunction(() => {
    const m = performance.getEntriesByName('kesu:rendered');
    return m.length > 0 && { ready: m[m.length - 1].startTime, dcl: performance.getEntriesByType('navigation')[0].domContentLoadedEventEnd };
  }, null, { timeout: 30_000 });
  const v = await handle.jsonValue();
  await tab.close();
  return v;
}

console.log(`kesu web: ${url}, ${rounds} visits per page after one warm-up`);
console.log(`machine: ${os.cpus()[0].model}, ${os.cpus().length} cores, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB, ${os.type()} ${os.release()}; chromium ${browser.version()}`);
console.log('page          ready median   ready max   scripts (DOMContentLoaded) median');
for (const [name, hash] of pages) {
  await visit(hash);
  const ready = []; const dcl = [];
  for (let i = 0; i < rounds; i++) {
    const v = await visit(hash);
    ready.push(v.ready); dcl.push(v.dcl);
  }
  console.log(`${name.padEnd(13)} ${median(ready).toFixed(0).padStart(9)} ms ${Math.max(...ready).toFixed(0).padStart(8)} ms ${median(dcl).toFixed(0).padStart(12)} ms`);
}
await browser.close();
