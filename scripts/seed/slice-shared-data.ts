/**
 * Copies the slice of ../shared/data that the demo cluster needs into scripts/seed/data, so a fresh clone runs
 * without ../shared. Run by hand (`npm run data:slice`) when the slice should change; the output is committed.
 * Selection is deterministic: same input, same files.
 */
import { copyFileSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const SHARED = process.env.SHARED_DATA ?? join(import.meta.dirname, '../../../shared/data');
const OUT = join(import.meta.dirname, 'data');

const readJsonl = (f: string) => readFileSync(join(SHARED, f), 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l) as Record<string, any>);
const writeJsonl = (f: string, rows: unknown[]) => writeFileSync(join(OUT, f), rows.map((r) => JSON.stringify(r)).join('\n') + '\n');

copyFileSync(join(SHARED, 'guangxi-divisions.json'), join(OUT, 'guangxi-divisions.json'));
copyFileSync(join(SHARED, 'guangxi-gov-domains.json'), join(OUT, 'guangxi-gov-domains.json'));

const policies = readJsonl('policies.jsonl');
const stateCouncil = policies.filter((p) => p.source_repo === 'ZhouYNF/platform-1');
// 行政法规: the 100 most recent that are short enough to read on a page (≤ 12k characters).
const regulations = policies
  .filter((p) => p.source_repo === 'LawRefBook/Laws' && p.body.length <= 12_000)
  .sort((a, b) => (a.date < b.date ? 1 : a.date > b.date ? -1 : a.id.localeCompare(b.id)))
  .slice(0, 100);
// 河北 interpretations whose policy is in the data set, with those policies: real policy ↔ 解读 pairs.
const byNumber = new Map(policies.filter((p) => p.doc_number).map((p) => [p.doc_number, p]));
const pairs = policies.filter((p) => p.related_doc_number && byNumber.has(p.related_doc_number) && p.body.length <= 20_000);
const pairDocs = pairs.flatMap((p) => [p, byNumber.get(p.related_doc_number)!]);
const picked = new Map<string, Record<string, any>>();
for (const p of [...stateCouncil, ...regulations, ...pairDocs]) picked.set(p.id, p);
writeJsonl('policies.jsonl', [...picked.values()].sort((a, b) => a.id.localeCompare(b.id)));

// Policy Q&A: the entries of the 120 corpus notices with the most questions, and those notices.
const qa = readJsonl('policy-qa.jsonl');
const corpus = new Map(readJsonl('retrieval/ncp-gov-corpus.jsonl').map((d) => [d.docid, d]));
const perDoc = new Map<string, number>();
for (const q of qa) if (corpus.has(q.docid)) perDoc.set(q.docid, (perDoc.get(q.docid) ?? 0) + 1);
const docs = [...perDoc.entries()].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])).slice(0, 120).map(([id]) => id);
const docSet = new Set(docs);
writeJsonl('policy-qa.jsonl', qa.filter((q) => docSet.has(q.docid)).map(({ id, question, answer, docid, doc_title_guess }) => ({ id, question, answer, docid, doc_title_guess })));
writeJsonl('qa-source-docs.jsonl', docs.map((id) => corpus.get(id)));

console.log(`policies: ${picked.size} (${stateCouncil.length} 国务院/国办, ${regulations.length} 行政法规, ${pairs.length} 解读 pairs); qa docs: ${docs.length}`);
