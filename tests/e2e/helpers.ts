import { request } from 'node:http';
import type { Browser } from 'playwright-core';
import type { LocalCluster } from '../../scripts/lib/local-cluster.ts';
export { freePort } from '../../scripts/lib/platform.ts';

/** A test file's running cluster and browser, for checks kept in their own module but run on that file's cluster. */
export interface OnCluster {
  cluster: LocalCluster;
  browser: Browser;
}

export interface Got {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
  text: string;
}

/** GET with an explicit Host header — how a browser reaches www.gxzf.gov.cn once DNS points at the Worker. */
export function get(port: number, host: string, path: string, headers: Record<string, string> = {}, method = 'GET'): Promise<Got> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, method, headers: { host, ...headers } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const body = Buffer.concat(chunks);
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body, text: body.toString('utf8') });
      });
    });
    req.on('error', reject);
    req.end();
  });
}

export const meta = (html: string, name: string) => new RegExp(`<meta name="${name}" content="([^"]*)"`).exec(html)?.[1];
export const hrefs = (html: string) => [...html.matchAll(/<a [^>]*href="([^"]+)"/g)].map((m) => m[1]!.replace(/&amp;/g, '&'));
