/** 政策问答库: approved Q&A entries (先审后发) with the document each answer rests on, by id. */
import { toCst } from '@ywtc/cms-schema';
import { containsPattern, type DatasetQuery, type OpenRecord, type QueryContext } from './types.ts';

interface QaRow {
  id: string;
  question: string;
  answer: string;
  source_document_id: string;
  title: string;
  doc_number: string | null;
  validity: string | null;
  site_id: string;
  updated_at: string | null;
}

const SELECT = `SELECT q.id, q.question, q.answer, q.source_document_id, d.title, d.doc_number, d.validity, q.site_id, q.updated_at
  FROM qa_entries q JOIN documents d ON d.id = q.source_document_id WHERE q.status = 'approved'`;

const record = (r: QaRow): OpenRecord => ({
  id: r.id,
  question: r.question,
  answer: r.answer,
  source_document_id: r.source_document_id,
  source_document_title: r.title,
  source_document_doc_number: r.doc_number,
  source_document_validity: r.validity,
  site_id: r.site_id,
  updated_at: r.updated_at ? toCst(r.updated_at) : null,
});

function filter(ctx: QueryContext): { sql: string; args: string[] } {
  const q = ctx.filters.q as string | undefined;
  return q ? { sql: " AND q.question LIKE ? ESCAPE '\\'", args: [containsPattern(q)] } : { sql: '', args: [] };
}

export const qaDataset: DatasetQuery = {
  async list(ctx, after, limit) {
    const f = filter(ctx);
    const { results } = await ctx.db
      .prepare(`${SELECT}${f.sql}${after ? ' AND q.id > ?' : ''} ORDER BY q.id LIMIT ?`)
      .bind(...f.args, ...(after ? [after.i] : []), limit + 1)
      .all<QaRow>();
    const page = results.slice(0, limit);
    return { records: page.map(record), next: results.length > limit ? { k: [0], i: page.at(-1)!.id } : null };
  },
  sync: {
    entity: 'qa',
    async byIds(ctx, ids) {
      const f = filter(ctx);
      const { results } = await ctx.db
        .prepare(`${SELECT}${f.sql} AND q.id IN (SELECT value FROM json_each(?))`)
        .bind(...f.args, JSON.stringify(ids))
        .all<QaRow>();
      return new Map(results.map((r) => [r.id, record(r)]));
    },
  },
};
