/**
 * Who is listening on a local TCP port, read from /proc (Linux): the socket's inode in /proc/net/tcp{,6}, then
 * the process holding it among /proc/<pid>/fd. `npm start` uses it to say plainly which process is in the way
 * (typically a wrangler dev left by an earlier run) instead of talking to it and failing later.
 */
import { connect } from 'node:net';
import { readdirSync, readFileSync, readlinkSync } from 'node:fs';

export interface PortOwner {
  pid: number;
  pgid: number;
  command: string;
}

/** Whether something accepts connections on 127.0.0.1:`port`. */
export function portInUse(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = connect({ host: '127.0.0.1', port });
    s.once('connect', () => {
      s.destroy();
      resolve(true);
    });
    s.once('error', () => resolve(false));
  });
}

function listeningInodes(port: number): Set<string> {
  const out = new Set<string>();
  const hex = port.toString(16).toUpperCase().padStart(4, '0');
  for (const file of ['/proc/net/tcp', '/proc/net/tcp6']) {
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch {
      continue;
    }
    for (const line of text.split('\n').slice(1)) {
      const f = line.trim().split(/\s+/);
      // local_address is "ADDR:PORT", st 0A is LISTEN, inode is the 10th field.
      if (f[1]?.endsWith(`:${hex}`) && f[3] === '0A' && f[9]) out.add(f[9]);
    }
  }
  return out;
}

/** The processes listening on `port` (empty where /proc is not readable). */
export function portOwners(port: number): PortOwner[] {
  const inodes = listeningInodes(port);
  if (inodes.size === 0) return [];
  const owners: PortOwner[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    let fds: string[];
    try {
      fds = readdirSync(`/proc/${entry}/fd`);
    } catch {
      continue;
    }
    const holds = fds.some((fd) => {
      try {
        const m = /^socket:\[(\d+)\]$/.exec(readlinkSync(`/proc/${entry}/fd/${fd}`));
        return m !== null && inodes.has(m[1]!);
      } catch {
        return false;
      }
    });
    if (!holds) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const pgid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[2]);
      const command = readFileSync(`/proc/${entry}/cmdline`, 'utf8').replace(/\0/g, ' ').trim().slice(0, 200);
      owners.push({ pid: Number(entry), pgid, command });
    } catch {
      /* gone meanwhile */
    }
  }
  return owners;
}
