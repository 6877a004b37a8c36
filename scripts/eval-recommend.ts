/**
 * `npm run eval:recommend`: how well 为您推荐 (cms-schema personal/rank.ts, the very function the Worker runs)
 * finds what a citizen cares about, against a popularity + recency baseline.
 *
 * Data: the documents of ../shared/data/policies.jsonl that carry a real subject label (scripts/eval/
 * policy-labels.ts — the same 13 labels as `npm run eval:classify`; directory overridable with SHARED_DATA).
 * Five stratified folds. For each fold:
 *   - the interest classifier is trained the product's way (train-interests.ts: 主题分类, subject categories and
 *     title keywords) on every document outside the fold, so the tags of the fold's documents are the product's
 *     own automatic tags on documents it never saw — never the real labels;
 *   - the fold's documents are the pool (as a site's shared content: all "region", no page views);
 *   - personas: for each label, up to three citizens (as many as its documents in the fold allow, each leaving at
 *     least one unread) who opted in and read two of its documents each (different pairs), and who chose the interest area their subject belongs to where one
 *     does (CATEGORY_INTERESTS; 人力资源社会保障部文件 and 民生工程 straddle areas, so those personas have only
 *     their reading record). Relevant: the label's other documents in the pool.
 * Ours: recommend() with the persona's settings (chosen interests, recent topics and read hashes as the cookie
 * would hold them after noteRead). Baseline: popularity + recency — the pool has no page views, so it is the
 * newest documents the persona has not read. Documents of one issuer stand for one column (diversity).
 * Nothing here was tuned on these results: rank.ts's weights were set before this script existed.
 * Last line: `RESULT system=ours personas=<n> p10=<x> ndcg10=<y>`.
 */
import { escapeHtml, noteRead, readHash, recommend, tagDocument, trainClassifier, type Candidate, type InterestCode, type Profile } from '@ywtc/cms-schema';
import { foldsOf, readSharedPolicies, subjectLabels, type LabelledPolicy, type Policy } from './eval/policy-labels.ts';
import { CATEGORY_INTERESTS, interestSources } from './seed/interest-examples.ts';

const K = 5;
const SEED = 'eval-recommend-1';
const PERSONAS_PER_LABEL = 3;
const READ_PER_PERSONA = 2;
const TOP = 10;

const policies = readSharedPolicies();
const { docs, labels } = subjectLabels(policies);
const fold = foldsOf(docs, K, SEED);
const dateOf = (p: Policy) => (p.publish_date ?? p.date ?? '2000-01-01').slice(0, 10);
const newest = policies.map(dateOf).sort().at(-1)!;
const now = new Date(Date.parse(`${newest}T00:00:00Z`) + 86_400_000);

interface Result {
  label: string;
  p10: number;
  ndcg10: number;
}
const results: Record<'ours' | 'baseline', Result[]> = { ours: [], baseline: [] };

function metrics(ranked: readonly string[], relevant: ReadonlySet<string>): { p10: number; ndcg10: number } {
  const top = ranked.slice(0, TOP);
  const hits: number[] = top.map((id) => (relevant.has(id) ? 1 : 0));
  const dcg = hits.reduce((s, h, i) => s + h / Math.log2(i + 2), 0);
  const ideal = Array.from({ length: Math.min(TOP, relevant.size) }, (_, i) => 1 / Math.log2(i + 2)).reduce((a, b) => a + b, 0);
  return { p10: hits.reduce((a, b) => a + b, 0) / TOP, ndcg10: ideal ? dcg / ideal : 0 };
}

const started = performance.now();
for (let f = 0; f < K; f++) {
  const inFold = new Set(docs.filter((d) => fold.get(d.id) === f).map((d) => d.id));
  // The product's training, on everything outside the fold.
  const examples = policies
    .filter((p) => !inFold.has(p.id))
    .flatMap((p) => {
      const labelsOf = interestSources(p).all;
      return labelsOf.length ? [{ title: p.title, text: p.body ?? '', labels: labelsOf }] : [];
    });
  const model = trainClassifier(examples);
  const pool = docs.filter((d) => inFold.has(d.id));
  const tags = new Map(
    pool.map((d) => [
      d.id,
      tagDocument({ id: d.id, title: d.title, bodyHtml: `<p>${escapeHtml(d.text.slice(0, 4000))}</p>`, interests: [], topic: d.policy.topic ?? null }, model),
    ]),
  );
  const candidates: Candidate[] = pool.map((d) => ({
    id: d.id,
    title: d.title,
    siteId: 'region',
    nearness: 'region',
    columnId: d.policy.issuer ?? 'none',
    publishedAt: `${dateOf(d.policy)}T00:00:00Z`,
    validity: null,
    tags: tags.get(d.id)!.map((t) => ({ interest: t.interest, confidence: t.confidence })),
    views: 0,
  }));
  const byRecency = [...candidates].sort((a, b) => b.publishedAt.localeCompare(a.publishedAt) || a.id.localeCompare(b.id));
  for (const label of labels) {
    const members = pool.filter((d) => d.label === label);
    // As many personas as the label's documents allow (up to three), each leaving at least one relevant document.
    const personas = Math.min(PERSONAS_PER_LABEL, Math.floor((members.length - 1) / READ_PER_PERSONA));
    for (let n = 0; n < personas; n++) {
      const read: LabelledPolicy[] = members.slice(n * READ_PER_PERSONA, (n + 1) * READ_PER_PERSONA);
      const chosen: InterestCode[] = CATEGORY_INTERESTS[label] ? [CATEGORY_INTERESTS[label].interest] : [];
      let profile: Profile = { v: 1, i: chosen, s: [], r: null, h: true, t: [], d: [], at: 0 };
      for (const r of read)
        profile = noteRead(
          profile,
          r.id,
          tags.get(r.id)!.map((t) => t.interest),
        );
      const readIds = new Set(read.map((r) => r.id));
      const relevant = new Set(members.filter((m) => !readIds.has(m.id)).map((m) => m.id));
      const ours = recommend(candidates, { interests: profile.i, recentTopics: profile.t, read: profile.d }, now, TOP).map((r) => r.item.id);
      const readHashes = new Set(profile.d);
      const baseline = byRecency.filter((c) => !readHashes.has(readHash(c.id))).map((c) => c.id);
      results.ours.push({ label, ...metrics(ours, relevant) });
      results.baseline.push({ label, ...metrics(baseline, relevant) });
    }
  }
}
const ms = performance.now() - started;

const mean = (xs: number[]) => (xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : 0);
console.log(
  `${policies.length} documents, ${docs.length} with a real subject label (${labels.length} labels); ${K} folds; pool per fold ≈ ${Math.round(docs.length / K)}`,
);
console.log(`label${'　'.repeat(11)}personas   p@10 ours  baseline   nDCG@10 ours  baseline`);
for (const label of labels) {
  const o = results.ours.filter((r) => r.label === label);
  if (!o.length) continue;
  const b = results.baseline.filter((r) => r.label === label);
  console.log(
    `${label.padEnd(13, '　')} ${String(o.length).padStart(8)} ${mean(o.map((r) => r.p10))
      .toFixed(3)
      .padStart(10)} ${mean(b.map((r) => r.p10))
      .toFixed(3)
      .padStart(9)} ${mean(o.map((r) => r.ndcg10))
      .toFixed(3)
      .padStart(13)} ${mean(b.map((r) => r.ndcg10))
      .toFixed(3)
      .padStart(9)}`,
  );
}
const summary = (rs: Result[]) => ({ p10: mean(rs.map((r) => r.p10)), ndcg10: mean(rs.map((r) => r.ndcg10)) });
const o = summary(results.ours);
const b = summary(results.baseline);
console.log(`ours / baseline p@10: ${(o.p10 / (b.p10 || Number.EPSILON)).toFixed(2)}× (goal ≥ 2×); ${Math.round(ms)} ms including ${K} trainings`);
console.log(`RESULT system=baseline personas=${results.baseline.length} p10=${b.p10.toFixed(3)} ndcg10=${b.ndcg10.toFixed(3)}`);
console.log(`RESULT system=ours personas=${results.ours.length} p10=${o.p10.toFixed(3)} ndcg10=${o.ndcg10.toFixed(3)}`);
