/**
 * External units (数据使用单位) and what they hold, as stored operations: registering, logging in, applying for
 * interfaces, the owning unit's decision, API keys (shown once, kept as a SHA-256), and suspension. Each change
 * is one D1 batch with its audit entry, so a step is either wholly done and logged or not done at all.
 */
import {
  API_KEY_PATTERN,
  KEY_LIFETIME_DAYS,
  TABLES,
  can,
  cstDate,
  fromRow,
  selectColumns,
  type ApplicationInput,
  type OpenApplication,
  type OpenUnit,
  type StaffPrincipal,
  type UnitPrincipal,
  type UnitRegistration,
} from '@ywtc/cms-schema';
import { auditStatement } from '../cms/audit.ts';
import { parentMap } from '../cms/documents.ts';
import { DECOY, hashPassword, randomToken, sha256Hex, verifyPassword } from '../cms/password.ts';
import { UNIT_SESSIONS, createSession, type Session } from '../cms/session.ts';
import { returnAttempt, takeAttempt, throttleKeys } from '../cms/throttle.ts';
import { fail, ok, type Result } from '../platform/result.ts';
import { catalogue } from './catalogue.ts';

/** A unit holds at most this many live keys (one per system that calls, plus one being rotated in). */
export const MAX_LIVE_KEYS = 5;
/** Applications may run at most a year; a renewal is a new application. */
const MAX_GRANT_DAYS = 366;

const actor = (p: UnitPrincipal) => `open-unit:${p.accountId}`;
const isUnique = (e: unknown) => /UNIQUE constraint failed/i.test(String(e));

export async function registerUnit(db: D1Database, input: UnitRegistration, now = new Date()): Promise<Result<{ unitId: string; accountId: string }>> {
  const [uscc, user] = await db.batch([
    db.prepare('SELECT 1 FROM open_units WHERE uscc = ?').bind(input.uscc),
    db.prepare('SELECT 1 FROM open_accounts WHERE username = ?').bind(input.username),
  ]);
  if (uscc!.results.length) return fail(409, 'uscc', '该统一社会信用代码已注册，请用已有账号登录，或联系平台管理员');
  if (user!.results.length) return fail(409, 'username', '该用户名已被使用，请换一个');
  const unitId = `u-${crypto.randomUUID()}`;
  const accountId = `oa-${crypto.randomUUID()}`;
  const hash = await hashPassword(input.password);
  const at = now.toISOString();
  try {
    await db.batch([
      db
        .prepare(
          'INSERT INTO open_units (id, name, uscc, contact_name, contact_phone, contact_email, purpose, status, suspended_reason, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, NULL, ?)',
        )
        .bind(unitId, input.unitName, input.uscc, input.contactName, input.contactPhone, input.contactEmail, input.purpose, 'active', at),
      db
        .prepare(
          'INSERT INTO open_accounts (id, unit_id, username, password_hash, password_salt, password_iterations, created_at, password_changed_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
        )
        .bind(accountId, unitId, input.username, hash.passwordHash, hash.passwordSalt, hash.passwordIterations, at, at),
      await auditStatement(db, { accountId: `open-unit:${accountId}`, action: 'open.register', target: unitId, siteId: null, detail: input.unitName }, now),
    ]);
  } catch (e) {
    // Two registrations racing for the same code or name: the second is refused whole.
    if (isUnique(e)) return fail(409, /uscc/.test(String(e)) ? 'uscc' : 'username', '该统一社会信用代码或用户名已被注册');
    throw e;
  }
  return ok({ unitId, accountId });
}

export type UnitLogin = { ok: true; token: string; session: Session } | { ok: false; status: 401 | 429; message: string; retryAfter?: number };

/** Logging in with the CMS's rules: throttled per name and client, same answer for unknown names and wrong passwords. */
export async function loginUnit(db: D1Database, username: string, password: string, clientAddress: string): Promise<UnitLogin> {
  const keys = await throttleKeys(`open:${username}`, `open:${clientAddress}`);
  const wait = await takeAttempt(db, keys);
  if (wait > 0) return { ok: false, status: 429, message: `登录失败次数过多，请 ${Math.ceil(wait / 60)} 分钟后再试`, retryAfter: wait };
  const row = await db
    .prepare(`SELECT ${selectColumns(TABLES.openAccounts)} FROM open_accounts WHERE username = ?`)
    .bind(username)
    .first();
  const account = row ? fromRow(TABLES.openAccounts, row) : null;
  const good = await verifyPassword(password, account ?? DECOY);
  if (!account || !good) {
    await (
      await auditStatement(db, { accountId: account ? `open-unit:${account.id}` : null, action: 'open.login-failed', target: username, siteId: null })
    ).run();
    return { ok: false, status: 401, message: '用户名或密码错误' };
  }
  await db.batch([
    ...returnAttempt(db, keys),
    await auditStatement(db, { accountId: `open-unit:${account.id}`, action: 'open.login', target: username, siteId: null }),
  ]);
  const { token, session } = await createSession(db, account.id, Date.now(), UNIT_SESSIONS);
  return { ok: true, token, session };
}

export async function unitById(db: D1Database, id: string): Promise<OpenUnit | null> {
  const row = await db
    .prepare(`SELECT ${selectColumns(TABLES.openUnits)} FROM open_units WHERE id = ?`)
    .bind(id)
    .first();
  return row ? fromRow(TABLES.openUnits, row) : null;
}

export async function applicationsOf(db: D1Database, unitId: string): Promise<OpenApplication[]> {
  const { results } = await db
    .prepare(`SELECT ${selectColumns(TABLES.openApplications)} FROM open_applications WHERE unit_id = ? ORDER BY created_at DESC, id`)
    .bind(unitId)
    .all();
  return results.map((r) => fromRow(TABLES.openApplications, r));
}

/** 申请: 无条件开放 interfaces are granted at once; 有条件开放 ones wait for the owning unit. */
export async function applyFor(db: D1Database, p: UnitPrincipal, input: ApplicationInput, now = new Date()): Promise<Result<OpenApplication>> {
  const iface = (await catalogue(db)).byCode.get(input.code);
  if (!iface) return fail(404, 'code', `没有编码为 ${input.code} 的接口`);
  const unit = await unitById(db, p.unitId);
  if (!unit || unit.status !== 'active') return fail(403, 'unit', '贵单位的数据使用已被暂停，不能提交新的申请');
  const today = cstDate(now.toISOString());
  if (input.endsOn < today) return fail(400, 'endsOn', '截止日期不能早于今天');
  const latest = cstDate(new Date(now.getTime() + MAX_GRANT_DAYS * 86_400_000).toISOString());
  if (input.endsOn > latest) return fail(400, 'endsOn', `截止日期最晚为 ${latest}（一次申请最长一年）`);
  const auto = iface.openType === 'unconditional';
  const app: OpenApplication = {
    id: `oap-${crypto.randomUUID()}`,
    unitId: p.unitId,
    code: iface.code,
    purpose: input.purpose,
    dailyQuota: input.dailyQuota,
    endsOn: input.endsOn,
    status: auto ? 'approved' : 'pending',
    reason: auto ? '无条件开放，自动批准' : null,
    decidedBy: auto ? 'system' : null,
    decidedAt: auto ? now.toISOString() : null,
    createdAt: now.toISOString(),
  };
  try {
    await db.batch([
      db
        .prepare(
          'INSERT INTO open_applications (id, unit_id, code, purpose, daily_quota, ends_on, status, reason, decided_by, decided_at, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
        )
        .bind(app.id, app.unitId, app.code, app.purpose, app.dailyQuota, app.endsOn, app.status, app.reason, app.decidedBy, app.decidedAt, app.createdAt),
      await auditStatement(
        db,
        {
          accountId: actor(p),
          action: auto ? 'open.apply-granted' : 'open.apply',
          target: app.id,
          siteId: iface.ownerSiteId,
          after: app,
          detail: `${unit.name} 申请 ${iface.code} ${iface.name}，每日 ${app.dailyQuota} 次，至 ${app.endsOn}`,
        },
        now,
      ),
    ]);
  } catch (e) {
    if (isUnique(e)) return fail(409, 'code', '贵单位已申请过该接口（待审批或已批准），无须重复申请');
    throw e;
  }
  return ok(app);
}

export interface PendingApplication extends OpenApplication {
  unitName: string;
  uscc: string;
  unitPurpose: string;
  contactName: string;
  contactPhone: string;
  contactEmail: string;
  interfaceName: string;
  ownerSiteId: string;
}

/** Applications for interfaces of the sites this staff member may approve for (theirs and those below). */
export async function applicationsForReviewer(
  db: D1Database,
  staff: StaffPrincipal,
  status: OpenApplication['status'] | 'all' = 'pending',
): Promise<PendingApplication[]> {
  const { results } = await db
    .prepare(
      `SELECT ${selectColumns(TABLES.openApplications, 'a')}, u.name AS unit_name, u.uscc, u.purpose AS unit_purpose, u.contact_name, u.contact_phone, u.contact_email,
         i.name AS interface_name, i.owner_site_id
       FROM open_applications a JOIN open_units u ON u.id = a.unit_id JOIN open_interfaces i ON i.code = a.code
       WHERE (? = 'all' OR a.status = ?) ORDER BY a.created_at DESC LIMIT 500`,
    )
    .bind(status, status)
    .all<Record<string, unknown>>();
  const parents = await parentMap(db);
  return results
    .filter((r) => can(staff.grants, 'open.approve', { siteId: r.owner_site_id as string }, parents))
    .map((r) => ({
      ...fromRow(TABLES.openApplications, r),
      unitName: r.unit_name as string,
      uscc: r.uscc as string,
      unitPurpose: r.unit_purpose as string,
      contactName: r.contact_name as string,
      contactPhone: r.contact_phone as string,
      contactEmail: r.contact_email as string,
      interfaceName: r.interface_name as string,
      ownerSiteId: r.owner_site_id as string,
    }));
}

/** 审批: only the owning unit's site admins (and those above it) decide, once. */
export async function decideApplication(
  db: D1Database,
  staff: StaffPrincipal,
  id: string,
  decision: { decision: 'approve' | 'reject'; reason: string },
  now = new Date(),
): Promise<Result<OpenApplication>> {
  const row = await db
    .prepare(
      `SELECT ${selectColumns(TABLES.openApplications, 'a')}, i.owner_site_id, i.name AS interface_name FROM open_applications a JOIN open_interfaces i ON i.code = a.code WHERE a.id = ?`,
    )
    .bind(id)
    .first<Record<string, unknown>>();
  if (!row) return fail(404, 'id', '申请不存在');
  const app = fromRow(TABLES.openApplications, row);
  const ownerSiteId = row.owner_site_id as string;
  if (!can(staff.grants, 'open.approve', { siteId: ownerSiteId }, await parentMap(db)))
    return fail(403, 'id', '只有数据提供单位（及其上级）的网站管理员可以审批该申请');
  if (app.status !== 'pending') return fail(409, 'status', '该申请已处理，不能重复审批');
  const status = decision.decision === 'approve' ? 'approved' : 'rejected';
  const next: OpenApplication = { ...app, status, reason: decision.reason || null, decidedBy: staff.accountId, decidedAt: now.toISOString() };
  const [updated] = await db.batch([
    db
      .prepare("UPDATE open_applications SET status = ?, reason = ?, decided_by = ?, decided_at = ? WHERE id = ? AND status = 'pending'")
      .bind(status, next.reason, next.decidedBy, next.decidedAt, id),
    await auditStatement(
      db,
      {
        accountId: staff.accountId,
        action: status === 'approved' ? 'open.approve' : 'open.reject',
        target: id,
        siteId: ownerSiteId,
        before: app,
        after: next,
        detail: `${app.code} ${row.interface_name as string}${decision.reason ? `：${decision.reason}` : ''}`,
      },
      now,
    ),
  ]);
  // The audit entry and the update share the batch; a concurrent decision leaves this update at 0 rows.
  if (updated!.meta.changes === 0) return fail(409, 'status', '该申请已被他人处理');
  return ok(next);
}

export interface KeyInfo {
  id: string;
  prefix: string;
  createdAt: string;
  expiresAt: string;
  revokedAt: string | null;
}

export async function keysOf(db: D1Database, unitId: string): Promise<KeyInfo[]> {
  const { results } = await db
    .prepare('SELECT id, prefix, created_at, expires_at, revoked_at FROM open_keys WHERE unit_id = ? ORDER BY created_at DESC')
    .bind(unitId)
    .all<{ id: string; prefix: string; created_at: string; expires_at: string; revoked_at: string | null }>();
  return results.map((r) => ({ id: r.id, prefix: r.prefix, createdAt: r.created_at, expiresAt: r.expires_at, revokedAt: r.revoked_at }));
}

/** A new key: 32 random bytes after `ywtc_`, shown to the unit once; D1 keeps its SHA-256 and first characters. */
async function newKeyStatements(db: D1Database, p: UnitPrincipal, now: Date): Promise<Result<{ key: string; statements: D1PreparedStatement[]; id: string }>> {
  const unit = await unitById(db, p.unitId);
  if (!unit || unit.status !== 'active') return fail(403, 'unit', '贵单位的数据使用已被暂停，不能生成密钥');
  const granted = await db
    .prepare("SELECT max(ends_on) AS ends FROM open_applications WHERE unit_id = ? AND status = 'approved'")
    .bind(p.unitId)
    .first<{ ends: string | null }>();
  if (!granted?.ends) return fail(409, 'key', '贵单位还没有获批的接口：请先申请接口，获批后再生成密钥');
  const key = `ywtc_${randomToken()}`;
  if (!API_KEY_PATTERN.test(key)) throw new Error('generated key does not match its pattern');
  // A key lives a year at most, and not past the end of the unit's last approved application.
  const lastDay = Date.parse(`${granted.ends}T23:59:59+08:00`);
  const expiresAt = new Date(Math.min(now.getTime() + KEY_LIFETIME_DAYS * 86_400_000, lastDay)).toISOString();
  const id = `ok-${crypto.randomUUID()}`;
  return ok({
    key,
    id,
    statements: [
      db
        .prepare('INSERT INTO open_keys (id, unit_id, key_hash, prefix, created_at, expires_at, revoked_at) VALUES (?, ?, ?, ?, ?, ?, NULL)')
        .bind(id, p.unitId, await sha256Hex(key), key.slice(0, 12), now.toISOString(), expiresAt),
    ],
  });
}

export async function createKey(db: D1Database, p: UnitPrincipal, now = new Date()): Promise<Result<{ key: string; id: string }>> {
  const live = await db
    .prepare('SELECT count(*) AS n FROM open_keys WHERE unit_id = ? AND revoked_at IS NULL AND expires_at > ?')
    .bind(p.unitId, now.toISOString())
    .first<{ n: number }>();
  if ((live?.n ?? 0) >= MAX_LIVE_KEYS) return fail(409, 'key', `每个单位最多同时持有 ${MAX_LIVE_KEYS} 个有效密钥，请先吊销不用的密钥`);
  const made = await newKeyStatements(db, p, now);
  if (!made.ok) return made;
  await db.batch([
    ...made.value.statements,
    await auditStatement(db, { accountId: actor(p), action: 'open.key-create', target: made.value.id, siteId: null, detail: made.value.key.slice(0, 12) }, now),
  ]);
  return ok({ key: made.value.key, id: made.value.id });
}

/** Rotation: a new key and the old one revoked, in one step (the old one is refused from that moment). */
export async function rotateKey(db: D1Database, p: UnitPrincipal, keyId: string, now = new Date()): Promise<Result<{ key: string; id: string }>> {
  const old = await db.prepare('SELECT revoked_at FROM open_keys WHERE id = ? AND unit_id = ?').bind(keyId, p.unitId).first<{ revoked_at: string | null }>();
  if (!old) return fail(404, 'key', '没有这个密钥');
  if (old.revoked_at) return fail(409, 'key', '该密钥已吊销，不能轮换');
  const made = await newKeyStatements(db, p, now);
  if (!made.ok) return made;
  const [, revoked] = await db.batch([
    ...made.value.statements,
    db.prepare('UPDATE open_keys SET revoked_at = ? WHERE id = ? AND unit_id = ? AND revoked_at IS NULL').bind(now.toISOString(), keyId, p.unitId),
    await auditStatement(
      db,
      { accountId: actor(p), action: 'open.key-rotate', target: keyId, siteId: null, detail: `新密钥 ${made.value.key.slice(0, 12)}` },
      now,
    ),
  ]);
  if (revoked!.meta.changes === 0) throw new Error('rotateKey: the old key changed during rotation');
  return ok({ key: made.value.key, id: made.value.id });
}

export async function revokeKey(db: D1Database, p: UnitPrincipal, keyId: string, now = new Date()): Promise<Result<{ id: string }>> {
  const key = await db.prepare('SELECT revoked_at FROM open_keys WHERE id = ? AND unit_id = ?').bind(keyId, p.unitId).first<{ revoked_at: string | null }>();
  if (!key || key.revoked_at) return fail(404, 'key', '没有这个有效的密钥');
  await db.batch([
    db.prepare('UPDATE open_keys SET revoked_at = ? WHERE id = ? AND unit_id = ? AND revoked_at IS NULL').bind(now.toISOString(), keyId, p.unitId),
    await auditStatement(db, { accountId: actor(p), action: 'open.key-revoke', target: keyId, siteId: null }, now),
  ]);
  return ok({ id: keyId });
}

/** 暂停 / 恢复 an external unit (platform admins): its keys are refused while suspended. */
export async function setUnitStatus(
  db: D1Database,
  staff: StaffPrincipal,
  unitId: string,
  change: { suspend: boolean; reason: string },
  now = new Date(),
): Promise<Result<{ status: 'active' | 'suspended' }>> {
  const unit = await unitById(db, unitId);
  if (!unit) return fail(404, 'unitId', '没有这个单位');
  const status = change.suspend ? 'suspended' : 'active';
  await db.batch([
    db.prepare('UPDATE open_units SET status = ?, suspended_reason = ? WHERE id = ?').bind(status, change.suspend ? change.reason : null, unitId),
    await auditStatement(
      db,
      {
        accountId: staff.accountId,
        action: change.suspend ? 'open.suspend' : 'open.resume',
        target: unitId,
        siteId: null,
        detail: `${unit.name}${change.reason ? `：${change.reason}` : ''}`,
      },
      now,
    ),
  ]);
  return ok({ status });
}
