/**
 * The client's address for the login throttle, only from a header a trusted front sets
 * (CLIENT_ADDRESS_HEADER: `cf-connecting-ip` behind Cloudflare, whose edge overwrites what a client sends).
 * Without one configured, nothing a client sends is believed: all clients count as one address, so a guesser
 * cannot escape the per-address limit by inventing addresses (locally, under `wrangler dev`, anyone can send
 * any header).
 */
import type { Context } from 'hono';
import type { AppEnv } from '../env.ts';
import { platformConfig } from '../platform/config.ts';

export function clientAddress(c: Context<AppEnv>): string {
  const header = platformConfig(c.env).clientAddressHeader;
  const value = header ? c.req.header(header)?.trim() : undefined;
  return value && value.length <= 100 ? value : 'untrusted-front';
}
