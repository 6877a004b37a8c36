/**
 * Lighthouse against Debian's Chromium (never a downloaded browser): chrome-launcher starts /usr/bin/chromium
 * with the same headless flags as scripts/lib/browser.ts, and Lighthouse drives it over the DevTools port.
 * Only the four scored categories run; mobile is Lighthouse's default (simulated slow 4G, 4× CPU slowdown,
 * Moto G-class screen), desktop its desktop preset. Nothing leaves localhost: the pages load only their own
 * stylesheet and script, and Lighthouse itself is told not to phone home.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import lighthouse from 'lighthouse';
import desktopConfig from 'lighthouse/core/config/desktop-config.js';
import { launch, type LaunchedChrome } from 'chrome-launcher';
import { CHROMIUM, CHROMIUM_FLAGS, ensureDebianPackage } from './browser.ts';

export const CATEGORIES = ['performance', 'accessibility', 'best-practices', 'seo'] as const;
export type Category = (typeof CATEGORIES)[number];
export type Preset = 'mobile' | 'desktop';
export type Scores = Record<Category, number>;
export interface Audit {
  id: string;
  title: string;
  score: number | null;
  displayValue?: string | undefined;
  /** The first few offending items (URL, text, node), to say what. */ items: string[];
}
export interface LighthouseRun {
  url: string;
  preset: Preset;
  scores: Scores;
  /** Scored audits below 1 in a category under 100, to say why. */ failing: Record<Category, Audit[]>;
  metrics: { fcpMs: number; lcpMs: number; tbtMs: number; cls: number };
}

export interface LighthouseRunner {
  run(url: string, preset: Preset): Promise<LighthouseRun>;
  close(): Promise<void>;
}

function itemsOf(details: unknown): string[] {
  const items = (details as { items?: Record<string, unknown>[] } | undefined)?.items ?? [];
  return items.slice(0, 5).map((it) => {
    const node = it.node as { snippet?: string } | undefined;
    return [it.source, it.url, it.description, it.text, node?.snippet]
      .filter((v) => typeof v === 'string' && v)
      .join(' ')
      .slice(0, 200);
  });
}

export async function startLighthouse(): Promise<LighthouseRunner> {
  ensureDebianPackage(CHROMIUM, 'chromium');
  const profile = mkdtempSync(join(tmpdir(), 'ywtc-lh-'));
  const chrome: LaunchedChrome = await launch({ chromePath: CHROMIUM, chromeFlags: CHROMIUM_FLAGS, userDataDir: profile, logLevel: 'silent' });
  return {
    async run(url, preset) {
      const result = await lighthouse(
        url,
        {
          port: chrome.port,
          output: 'json',
          logLevel: 'error',
          onlyCategories: [...CATEGORIES],
          maxWaitForLoad: 60_000,
        },
        preset === 'desktop' ? desktopConfig : undefined,
      );
      if (!result) throw new Error(`Lighthouse gave no result for ${url}`);
      const lhr = result.lhr;
      if (lhr.runtimeError) throw new Error(`Lighthouse on ${url}: ${lhr.runtimeError.code} ${lhr.runtimeError.message}`);
      const scores = {} as Scores;
      const failing = {} as Record<Category, Audit[]>;
      for (const c of CATEGORIES) {
        const cat = lhr.categories[c]!;
        scores[c] = Math.round((cat.score ?? 0) * 100);
        failing[c] = cat.auditRefs
          .filter((r) => r.weight > 0)
          .map((r) => lhr.audits[r.id]!)
          .filter((a) => a.score !== null && a.score < 1)
          .map((a) => ({ id: a.id, title: a.title, score: a.score, displayValue: a.displayValue, items: itemsOf(a.details) }));
      }
      const num = (id: string) => lhr.audits[id]?.numericValue ?? NaN;
      return {
        url,
        preset,
        scores,
        failing,
        metrics: {
          fcpMs: num('first-contentful-paint'),
          lcpMs: num('largest-contentful-paint'),
          tbtMs: num('total-blocking-time'),
          cls: num('cumulative-layout-shift'),
        },
      };
    },
    close() {
      chrome.kill();
      rmSync(profile, { recursive: true, force: true });
      return Promise.resolve();
    },
  };
}
