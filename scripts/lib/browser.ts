/**
 * Debian's Chromium driven by playwright-core (never a downloaded browser: this machine has no internet).
 * Installs the package with apt-get when it is missing and we are root; otherwise says what to install.
 */
import { execSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { chromium, type Browser } from 'playwright-core';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const CHROMIUM_FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export function ensureDebianPackage(binary: string, pkg: string): void {
  if (existsSync(binary)) return;
  if (process.getuid?.() !== 0) throw new Error(`${binary} is missing: install it with \`sudo apt-get install -y ${pkg}\``);
  console.log(`installing ${pkg} with apt-get …`);
  execSync(`apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq ${pkg}`, { stdio: 'inherit' });
}

export async function launchChromium(): Promise<Browser> {
  ensureDebianPackage(CHROMIUM, 'chromium');
  return chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_FLAGS });
}
