/**
 * Demo accounts of the local cluster, one per role, listed in the README. Written by `npm start` only (never by
 * `npm run publish -- --remote`): their passwords are public. Existing accounts are left as they are, so a
 * password changed in the CMS stays changed.
 */
import type { Role } from '@ywtc/cms-schema';
import { newAccountStatements } from '../../worker/src/cms/accounts.ts';

export const DEMO_ACCOUNTS: { username: string; displayName: string; password: string; grants: { role: Role; siteId: string | null; level?: number }[] }[] = [
  { username: 'admin', displayName: '平台管理员（示例）', password: 'Demo-admin-2026', grants: [{ role: 'platform-admin', siteId: null }] },
  { username: 'nanning-admin', displayName: '南宁市网站管理员（示例）', password: 'Demo-nanning-2026', grants: [{ role: 'site-admin', siteId: 'nanning' }] },
  { username: 'nnxn-admin', displayName: '兴宁区网站管理员（示例）', password: 'Demo-nnxnadmin-2026', grants: [{ role: 'site-admin', siteId: 'nnxn' }] },
  { username: 'nnxn-editor', displayName: '兴宁区编辑（示例）', password: 'Demo-editor-2026', grants: [{ role: 'editor', siteId: 'nnxn' }] },
  {
    username: 'nnxn-reviewer',
    displayName: '兴宁区一级审核员（示例）',
    password: 'Demo-review1-2026',
    grants: [{ role: 'reviewer', siteId: 'nnxn', level: 1 }],
  },
  {
    username: 'nanning-reviewer',
    displayName: '南宁市二级审核员（示例）',
    password: 'Demo-review2-2026',
    grants: [{ role: 'reviewer', siteId: 'nanning', level: 2 }],
  },
  { username: 'auditor', displayName: '审计员（示例）', password: 'Demo-audit-2026', grants: [{ role: 'auditor', siteId: null }] },
];

/** Adds the demo accounts that are missing (only where the registry has their sites); returns how many were added. */
export async function seedDemoAccounts(db: D1Database): Promise<number> {
  const { results: have } = await db.prepare('SELECT username FROM accounts').all<{ username: string }>();
  const { results: sites } = await db.prepare('SELECT id FROM sites').all<{ id: string }>();
  const existing = new Set(have.map((r) => r.username));
  const siteIds = new Set(sites.map((s) => s.id));
  const now = new Date();
  const stmts: D1PreparedStatement[] = [];
  let added = 0;
  for (const d of DEMO_ACCOUNTS) {
    if (existing.has(d.username) || d.grants.some((g) => g.siteId !== null && !siteIds.has(g.siteId))) continue;
    stmts.push(...(await newAccountStatements(db, { id: `demo-${d.username}`, ...d, isDemo: true }, now)).statements);
    added++;
  }
  if (stmts.length) await db.batch(stmts);
  return added;
}
