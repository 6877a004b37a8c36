/**
 * A local HTTP server standing in for the outside world in the inspector's network tests (this machine reaches
 * nothing outside): each path behaves like one kind of server the link checker and the probe meet in production.
 * Every request is recorded, so a test can tell what was asked and how.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface StubServer {
  origin: string;
  /** `METHOD /path` of every request, in order of arrival. */
  requests: string[];
  /** Bytes of /huge actually written (a checker that cancels the body stops it early). */
  hugeBytesSent: () => number;
  /** Responses of /huge whose connection the client has closed. */
  hugeClosed: () => number;
  close: () => Promise<void>;
}

const HUGE_CHUNK = Buffer.alloc(64 * 1024, 'x');

export async function startStubServer(): Promise<StubServer> {
  const requests: string[] = [];
  let hugeSent = 0;
  let hugeClosed = 0;
  const routes: Record<string, (req: IncomingMessage, res: ServerResponse) => void> = {
    '/ok': (_req, res) => res.writeHead(200, { 'content-type': 'text/html' }).end('<!doctype html><title>ok</title>'),
    '/missing': (_req, res) => res.writeHead(404).end('not found'),
    '/error': (_req, res) => res.writeHead(500).end('boom'),
    '/unavailable': (_req, res) => res.writeHead(503, { 'retry-after': '60' }).end('busy'),
    // Servers that refuse HEAD but serve GET.
    '/no-head': (req, res) => (req.method === 'HEAD' ? res.writeHead(405, { allow: 'GET' }).end() : res.writeHead(200).end('fine')),
    '/chain/1': (_req, res) => res.writeHead(301, { location: '/chain/2' }).end(),
    '/chain/2': (_req, res) => res.writeHead(302, { location: '/chain/3#frag' }).end(),
    '/chain/3': (_req, res) => res.writeHead(307, { location: '/ok' }).end(),
    '/loop/a': (_req, res) => res.writeHead(302, { location: '/loop/b' }).end(),
    '/loop/b': (_req, res) => res.writeHead(302, { location: '/loop/a' }).end(),
    '/endless': (req, res) => res.writeHead(302, { location: `/endless?n=${Number(new URL(req.url!, 'http://x').searchParams.get('n') ?? 0) + 1}` }).end(),
    // Never answers (the socket stays open until the server closes).
    '/hang': () => {},
    // A body without end, for GET only: a checker reading it would never finish.
    '/huge': (req, res) => {
      if (req.method === 'HEAD') return void res.writeHead(405).end();
      res.writeHead(200, { 'content-type': 'application/octet-stream' });
      const pump = () => {
        while (!res.destroyed && hugeSent < 2 ** 31) {
          hugeSent += HUGE_CHUNK.length;
          if (!res.write(HUGE_CHUNK)) return void res.once('drain', pump);
        }
      };
      res.on('close', () => {
        hugeClosed++;
        res.removeAllListeners('drain');
      });
      pump();
    },
    // Headers at once, the body after 600 ms: slow to the last byte.
    '/slow-body': (_req, res) => {
      res.writeHead(200, { 'content-type': 'text/html' });
      res.write('<!doctype html><title>slow</title>');
      setTimeout(() => res.end('<p>done</p>'), 600).unref();
    },
  };
  const server = createServer((req, res) => {
    const path = new URL(req.url!, 'http://stub').pathname;
    requests.push(`${req.method} ${path}`);
    (routes[path] ?? ((_q, r) => r.writeHead(404).end()))(req, res);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    origin: `http://127.0.0.1:${port}`,
    requests,
    hugeBytesSent: () => hugeSent,
    hugeClosed: () => hugeClosed,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** A port nothing listens on: bound, then closed. */
export async function closedPort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((resolve) => s.listen(0, '127.0.0.1', resolve));
  const { port } = s.address() as AddressInfo;
  await new Promise<void>((resolve) => s.close(() => resolve()));
  return port;
}
