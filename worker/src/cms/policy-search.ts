/**
 * The 解读 ↔ policy picker's search: live 政策文件 (and 法规规章) by a part of the title or of the 发文字号 in any
 * bracket style, newest first. One function for the editor page (server-rendered radio buttons, no script
 * needed) and for `GET /api/cms/policy-search?q=` (the page script's suggestions as one types).
 */
import { Hono } from 'hono';
import { z } from 'zod';
import type { AppEnv } from '../env.ts';
import { authorize } from '../access/authorize.ts';
import { invalid, noStore } from '../platform/http.ts';

export interface PolicyOption {
  id: string;
  title: string;
  docNumber: string | null;
  issuer: string | null;
  publishedAt: string | null;
  /** false for a reference to a document that is not (or no longer) live. */
  live: boolean;
}

export const PolicyQuerySchema = z.object({ q: z.string().trim().max(100, '查找内容不能超过 100 个字').default('') });
export const POLICY_RESULTS = 20;

/** 〔2026〕 however it was typed: [2026], 【2026】, (2026), （2026）, 〔2026〕. */
const canonicalBrackets = (q: string) => q.replace(/[[【(（〔]\s*(\d{4})\s*[\]】)）〕]/g, '〔$1〕');
const likePattern = (q: string) => `%${q.replace(/[\\%_]/g, (m) => `\\${m}`)}%`;

const COLUMNS = 'd.id, d.title, d.doc_number AS docNumber, d.issuer, d.published_at AS publishedAt';
const LIVE = 'EXISTS (SELECT 1 FROM placements p WHERE p.document_id = d.id)';

export async function searchPolicies(db: D1Database, query: string, limit = POLICY_RESULTS): Promise<PolicyOption[]> {
  const q = query.trim();
  if (!q) return [];
  const { results } = await db
    .prepare(
      `SELECT ${COLUMNS} FROM documents d WHERE d.kind IN ('policy', 'regulation') AND ${LIVE}
       AND (d.title LIKE ?1 ESCAPE '\\' OR d.doc_number LIKE ?2 ESCAPE '\\') ORDER BY (d.doc_number = ?3) DESC, d.published_at DESC LIMIT ?4`,
    )
    .bind(likePattern(q), likePattern(canonicalBrackets(q)), canonicalBrackets(q), limit)
    .all<Omit<PolicyOption, 'live'>>();
  return results.map((r) => ({ ...r, live: true }));
}

/** The policy a draft names (shown as the current choice), live or not. */
export async function policyOption(db: D1Database, id: string | null | undefined): Promise<PolicyOption | null> {
  if (!id) return null;
  const row = await db
    .prepare(`SELECT ${COLUMNS}, ${LIVE} AS live FROM documents d WHERE d.id = ?1`)
    .bind(id)
    .first<Omit<PolicyOption, 'live'> & { live: number }>();
  if (row) return { ...row, live: row.live === 1 };
  // Written in the CMS and not published yet: its title from the current revision.
  const draft = await db
    .prepare(
      "SELECT json_extract(r.data, '$.title') AS title, json_extract(r.data, '$.docNumber') AS docNumber, json_extract(r.data, '$.issuer') AS issuer FROM cms_documents c JOIN cms_revisions r ON r.document_id = c.id AND r.revision = c.revision WHERE c.id = ?1",
    )
    .bind(id)
    .first<{ title: string; docNumber: string | null; issuer: string | null }>();
  return draft ? { id, ...draft, publishedAt: null, live: false } : { id, title: id, docNumber: null, issuer: null, publishedAt: null, live: false };
}

/** GET /api/cms/policy-search?q= — for editors (who are the ones linking a 解读 to its policy). */
export const policySearchRoutes = new Hono<AppEnv>().get('/policy-search', authorize('documents', 'write'), async (c) => {
  const parsed = PolicyQuerySchema.safeParse({ q: c.req.query('q') ?? '' });
  if (!parsed.success) return invalid(c, parsed.error);
  return c.json({ q: parsed.data.q, results: await searchPolicies(c.env.DB, parsed.data.q) }, 200, noStore);
});
