/**
 * `npm run data:topics`: trains the model that gives an imported document without a 主题分类 its first level
 * (cms-schema topic-classify.ts) and writes cms-schema/src/topic-model.json, which the Worker bundles. The same
 * classifier as the 兴趣领域 tags (cms-schema personal/classifier.ts), on the documents that carry a 主题分类
 * (topic-examples.ts: the repo's slice, or ../shared/data when it labels more). Run by hand when the data
 * changes; the output is committed. Deterministic: same input, same bytes. How well it does on documents it
 * never saw, and where the review threshold comes from: `npm run eval:topics` (docs/benchmarks.md).
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { POLICY_TOPICS } from '@ywtc/cms-schema/topics';
import { trainClassifier } from '@ywtc/cms-schema/personal/classifier';
import { TOPIC_TRAIN_OPTIONS } from '@ywtc/cms-schema/topic-classify';
import { topicExamples } from './topic-examples.ts';

const OUT = join(import.meta.dirname, '../../cms-schema/src/topic-model.json');

const { file, examples } = topicExamples();
const model = trainClassifier(
  examples.map((e) => ({ title: e.title, text: e.text, labels: [e.label] })),
  TOPIC_TRAIN_OPTIONS,
);
// One property per line (JSON.stringify's indentation, which prettier leaves as it is): reviewable diffs.
const json = JSON.stringify(model, null, 2) + '\n';
writeFileSync(OUT, json);

console.log(`${examples.length} documents with a 主题分类 in ${file}`);
for (const topic of POLICY_TOPICS) {
  const n = examples.filter((e) => e.label === topic).length;
  console.log(`${String(n).padStart(4)}  ${topic}${n === 0 ? '  ← 没有训练样本：模型不会给出这一类，只能由编辑选定' : n < 5 ? '  ← 样本极少' : ''}`);
}
const bytes = (s: string) => new TextEncoder().encode(s).length;
console.log(
  `model: ${Object.keys(model.logPriors).length} labels, ${Object.values(model.weights).reduce((s, w) => s + Object.keys(w).length, 0)} weights, scale ${model.scale}; ` +
    `${(bytes(json) / 1024).toFixed(1)} KB as written → ${OUT}`,
);
