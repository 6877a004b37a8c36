/** `npm run screenshot -- URL OUT.png [width]`: a full-page screenshot in Debian Chromium, to look at a page. */
import { launchChromium } from './lib/browser.ts';
const [url, out, width] = process.argv.slice(2);
if (!url || !out) {
  console.error('usage: npm run screenshot -- URL OUT.png [width]');
  process.exit(2);
}
const browser = await launchChromium();
const page = await browser.newPage({ viewport: { width: Number(width ?? 1280), height: 900 } });
await page.goto(url, { waitUntil: 'load' });
await page.screenshot({ path: out, fullPage: true });
await browser.close();
console.log(out);
