/**
 * `npm run data:classifier`: trains the classifier that gives documents their automatic 兴趣领域 tags
 * (千人千网) and writes cms-schema/src/personal/interest-model.json, which the Worker bundles. Run by hand when
 * the data or the interest areas change; the output is committed. Deterministic: same input, same bytes.
 *
 * Examples are the documents of ../shared/data/policies.jsonl (directory overridable with SHARED_DATA), each
 * with every interest area it gets from
 *   1. its 主题分类 (`topic`), through interestsOfTopic;
 *   2. its `category`, where the category names a subject that belongs to one interest area (CATEGORY_INTERESTS
 *      below, each with its reason; categories that name a document type or straddle areas are left out);
 *   3. its title: an area whose keywords (interests.ts) occur in the title's subject part — without the issuers
 *      before 关于, because 社会保障 in 人力资源社会保障部 or 科技 in 科技部 as a co-issuer says nothing about the
 *      subject, and without a few false friends (FALSE_FRIENDS: 专业技术人员 is not technology). Weak labels
 *      (创新 in 创新发展 or 安全 in 安全生产 of a 行业 plan still mislead), but the only source of labels for
 *      most areas.
 * Documents with no area are skipped; a document with several counts once for each. How well the same
 * classifier does on real subject labels: `npm run eval:classify` (docs/benchmarks.md).
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { INTEREST_AREAS, INTEREST_CODES, type InterestCode } from '@ywtc/cms-schema/personal/interests';
import { interestSources } from './interest-examples.ts';
import { readSharedPolicies } from '../eval/policy-labels.ts';
import { classify, trainClassifier, type ClassifierExample } from '@ywtc/cms-schema/personal/classifier';

const OUT = join(import.meta.dirname, '../../cms-schema/src/personal/interest-model.json');

const policies = readSharedPolicies();

const bySource = { topic: new Map<InterestCode, number>(), category: new Map<InterestCode, number>(), title: new Map<InterestCode, number>() };
const bump = (m: Map<InterestCode, number>, code: InterestCode) => m.set(code, (m.get(code) ?? 0) + 1);
const examples: ClassifierExample[] = [];
for (const p of policies) {
  const sources = interestSources(p);
  sources.topic.forEach((c) => bump(bySource.topic, c));
  sources.category.forEach((c) => bump(bySource.category, c));
  sources.title.forEach((c) => bump(bySource.title, c));
  if (sources.all.length) examples.push({ title: p.title, text: p.body ?? '', labels: sources.all });
}

const started = performance.now();
const model = trainClassifier(examples);
const trainedMs = performance.now() - started;
// One property per line (JSON.stringify's indentation, which prettier leaves as it is): reviewable diffs.
const json = JSON.stringify(model, null, 2) + '\n';
writeFileSync(OUT, json);

// Training fit: how often the model's top label is one of the example's own (not a held-out measure).
const fitStarted = performance.now();
const topRight = examples.filter((ex) => ex.labels.includes(classify(model, ex)[0]?.label ?? '')).length;
const classifyMs = performance.now() - fitStarted;

console.log(`${policies.length} documents, ${examples.length} with at least one interest area (${policies.length - examples.length} skipped)`);
console.log('interest       examples  from topic  from category  from title');
for (const code of INTEREST_CODES) {
  const n = examples.filter((ex) => ex.labels.includes(code)).length;
  console.log(
    `${`${code} ${INTEREST_AREAS[code].name}`.padEnd(14)} ${String(n).padStart(8)} ${String(bySource.topic.get(code) ?? 0).padStart(11)} ${String(bySource.category.get(code) ?? 0).padStart(14)} ${String(bySource.title.get(code) ?? 0).padStart(11)}${n === 0 ? '  ← 没有训练样本：分类器不会给出这个兴趣领域，只能由编辑或关键词规则标注' : n < 10 ? '  ← 样本极少，自动标签不可靠' : ''}`,
  );
}
const bytes = (s: string) => new TextEncoder().encode(s).length;
const missing = INTEREST_CODES.filter((code) => !(code in model.logPriors));
if (missing.length) console.log(`WARNING: no example for ${missing.join(', ')}: the model cannot predict ${missing.length === 1 ? 'it' : 'them'}`);
console.log(
  `model: ${Object.keys(model.logPriors).length} labels, ${Object.values(model.weights).reduce((s, w) => s + Object.keys(w).length, 0)} weights, scale ${model.scale}; ` +
    `${(bytes(json) / 1024).toFixed(1)} KB as written, ${(bytes(JSON.stringify(model)) / 1024).toFixed(1)} KB minified → ${OUT}`,
);
console.log(
  `trained in ${Math.round(trainedMs)} ms; classified the ${examples.length} examples in ${Math.round(classifyMs)} ms; top label among the example's own: ${((100 * topRight) / examples.length).toFixed(1)} % (training fit)`,
);
