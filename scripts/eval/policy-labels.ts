/**
 * The real subject labels of ../shared/data/policies.jsonl, as `npm run eval:classify` and `npm run
 * eval:recommend` both use them: `category` values that name a subject (not a document type or an issuing
 * level) with at least MIN_DOCS_PER_LABEL documents, then the 主题分类 first level (same threshold) for the rest;
 * and stratified folds for cross-validation.
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

export const MIN_DOCS_PER_LABEL = 10;

export interface Policy {
  id: string;
  title: string;
  body?: string | null;
  category?: string | null;
  topic?: string | null;
  date?: string | null;
  publish_date?: string | null;
  issuer?: string | null;
}

/**
 * ../shared/data/policies.jsonl (the directory overridable with SHARED_DATA), in id order; a clear message and
 * exit code 2 when it is not there — the product runs without it, only training and evaluation need it.
 */
export function readSharedPolicies(): Policy[] {
  const file = join(process.env.SHARED_DATA ?? join(import.meta.dirname, '../../../shared/data'), 'policies.jsonl');
  if (!existsSync(file)) {
    console.error(`找不到政策文件数据 ${file}：请把共享数据放在 ../shared/data，或用环境变量 SHARED_DATA 指定其所在目录。`);
    process.exit(2);
  }
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as Policy)
    .sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

/** `category` values that say what kind of document it is or who issued it, not what it is about: not labels. */
export const DOCUMENT_TYPES: Record<string, string> = {
  厅规范性文件: 'a legal form (a 厅’s normative document), on any subject',
  政策解读: 'a genre: the interpretation of some policy, on any subject',
  国家政策文件: 'the issuing level (national), on any subject',
  省政府政策文件: 'the issuing level (provincial government), on any subject',
  省委省政府文件: 'the issuing level (provincial Party committee and government), on any subject',
  政策文件: 'a genre, on any subject',
  法律法规规章: 'a legal form, on any subject',
  法律法规: 'a legal form, on any subject',
  规范性文件汇总表: 'a list of documents',
  其他: 'no subject ("other")',
  综合政务: 'the catch-all 主题分类 of general government affairs, not one subject',
};
// Kept although named after its issuer: 人力资源社会保障部文件 is the ministry's remit (employment, wages,
// social insurance, 职称), a subject area in the data's own scheme (河北's site files it as a subject column).

export interface LabelledPolicy {
  id: string;
  title: string;
  text: string;
  label: string;
  policy: Policy;
}

export const countBy = (values: string[]) => values.reduce((m, v) => m.set(v, (m.get(v) ?? 0) + 1), new Map<string, number>());
const topicFirst = (p: Policy) => (p.topic ? p.topic.split('\\')[0]! : null);

export function subjectLabels(policies: readonly Policy[]) {
  const categoryCounts = countBy(policies.flatMap((p) => (p.category && !(p.category in DOCUMENT_TYPES) ? [p.category] : [])));
  const subjectCategories = new Set([...categoryCounts].filter(([, n]) => n >= MIN_DOCS_PER_LABEL).map(([c]) => c));
  const topicCounts = countBy(policies.flatMap((p) => (topicFirst(p) ? [topicFirst(p)!] : [])));
  const topicLabels = new Set([...topicCounts].filter(([, n]) => n >= MIN_DOCS_PER_LABEL).map(([t]) => t));
  const docs: LabelledPolicy[] = policies.flatMap((p) => {
    const label =
      p.category && subjectCategories.has(p.category) ? p.category : topicFirst(p) && topicLabels.has(topicFirst(p)!) ? `主题:${topicFirst(p)!}` : null;
    return label ? [{ id: p.id, title: p.title, text: p.body ?? '', label, policy: p }] : [];
  });
  return { docs, labels: [...new Set(docs.map((d) => d.label))].sort(), categoryCounts, subjectCategories, topicCounts, topicLabels };
}

/** Stratified folds: per label, documents ordered by sha-256(seed + id), dealt round-robin. */
export function foldsOf(items: readonly { id: string; label: string }[], k: number, seed: string): Map<string, number> {
  const hash = (id: string) =>
    createHash('sha256')
      .update(seed + id)
      .digest('hex');
  const fold = new Map<string, number>();
  for (const label of new Set(items.map((d) => d.label))) {
    const members = items.filter((d) => d.label === label).sort((a, b) => (hash(a.id) < hash(b.id) ? -1 : 1));
    members.forEach((d, i) => fold.set(d.id, i % k));
  }
  return fold;
}
