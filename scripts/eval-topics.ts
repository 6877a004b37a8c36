/**
 * `npm run eval:topics`
 * How well does the topic model (cms-schema topic-classify.ts) guess the 主题分类 first level of a document that
 * arrives without one, and is its review threshold (TOPIC_REVIEW_THRESHOLD) where it should be?
 *
 * Data: the documents that carry a 主题分类 (scripts/seed/topic-examples.ts — the same definition that trains the
 * shipped model). Split once, stratified: within each first level, documents ordered by sha-256(seed + id) and
 * dealt round-robin into 4 parts; part 1 is the held-out test set, never used for training or for choosing
 * anything. (Part 1, not 0: a first level with a single document deals it to part 0, and a level the model has
 * never seen cannot be guessed — such documents stay on the training side.)
 *
 * Threshold: an inner 4-fold cross-validation of the training part gives every training document a guess by a
 * model that did not see it; the threshold is the lowest confidence (grid 0.20 … 0.90) at which those guesses at
 * or above it were right at least TARGET of the time. Then a model trained on the whole training part guesses
 * the test documents through classifyTopic itself, and the script reports their accuracy overall, at/above the
 * shipped threshold and below it, next to the majority-level baseline.
 */
import { classify, trainClassifier, type ClassifierExample } from '@ywtc/cms-schema/personal/classifier';
import { TOPIC_REVIEW_THRESHOLD, TOPIC_TRAIN_OPTIONS, classifyTopic } from '@ywtc/cms-schema/topic-classify';
import { foldsOf } from './eval/policy-labels.ts';
import { topicExamples, type TopicExample } from './seed/topic-examples.ts';

const SEED = 'eval-topics-1';
const TEST_PART = 1;
/** A guess taken without review should be right at least this often. */
const TARGET = 0.8;
const GRID = Array.from({ length: 15 }, (_, i) => Math.round((0.2 + i * 0.05) * 100) / 100);

const asExample = (e: TopicExample): ClassifierExample => ({ title: e.title, text: e.text, labels: [e.label] });
const f = (x: number) => (Number.isNaN(x) ? '—' : x.toFixed(3));
const pct = (n: number, d: number) => (d ? `${((100 * n) / d).toFixed(1)} %` : '—');

const { file, examples } = topicExamples();
const part = foldsOf(examples, 4, SEED);
const train = examples.filter((e) => part.get(e.id) !== TEST_PART);
const test = examples.filter((e) => part.get(e.id) === TEST_PART);
console.log(
  `${examples.length} documents with a 主题分类 (${file}); ${train.length} for training, ${test.length} held out (part ${TEST_PART} of 4, seed ${SEED})`,
);

// 1. The threshold, from out-of-fold guesses on the training part only.
const inner = foldsOf(train, 4, `${SEED}/inner`);
const oof: { right: boolean; confidence: number }[] = [];
for (let k = 0; k < 4; k++) {
  const model = trainClassifier(train.filter((e) => inner.get(e.id) !== k).map(asExample), TOPIC_TRAIN_OPTIONS);
  for (const e of train.filter((x) => inner.get(x.id) === k)) {
    const best = classify(model, e)[0];
    oof.push({ right: best?.label === e.label, confidence: best?.confidence ?? 0 });
  }
}
console.log(`\ntraining part, out-of-fold guesses (inner 4-fold): accuracy ${f(oof.filter((o) => o.right).length / oof.length)}`);
console.log('threshold  kept  right among kept  flagged  right among flagged');
let chosen: number | null = null;
for (const t of GRID) {
  const kept = oof.filter((o) => o.confidence >= t);
  const flagged = oof.filter((o) => o.confidence < t);
  const keptAccuracy = kept.filter((o) => o.right).length / kept.length;
  if (chosen === null && kept.length > 0 && keptAccuracy >= TARGET) chosen = t;
  console.log(
    `${t.toFixed(2).padStart(9)}  ${String(kept.length).padStart(4)}  ${pct(kept.filter((o) => o.right).length, kept.length).padStart(16)}  ${String(flagged.length).padStart(7)}  ${pct(flagged.filter((o) => o.right).length, flagged.length).padStart(19)}`,
  );
}
console.log(`lowest threshold with ≥ ${TARGET * 100} % right among kept: ${chosen ?? 'none'}; shipped TOPIC_REVIEW_THRESHOLD = ${TOPIC_REVIEW_THRESHOLD}`);
if (chosen !== TOPIC_REVIEW_THRESHOLD)
  console.log('WARNING: the shipped threshold is not the one this data chooses — update topic-classify.ts and docs/benchmarks.md');

// 2. The held-out documents, through classifyTopic with a model trained on the training part.
const model = trainClassifier(train.map(asExample), TOPIC_TRAIN_OPTIONS);
const guesses = test.map((e) => ({ e, g: classifyTopic({ title: e.title, bodyHtml: e.text, topic: null }, model) }));
const right = guesses.filter(({ e, g }) => g.topic === e.label);
const sure = guesses.filter(({ g }) => !g.needsReview);
const unsure = guesses.filter(({ g }) => g.needsReview);
const rightIn = (xs: typeof guesses) => xs.filter(({ e, g }) => g.topic === e.label).length;
const counts = new Map<string, number>();
for (const e of train) counts.set(e.label, (counts.get(e.label) ?? 0) + 1);
const majority = [...counts].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))[0]![0];
const baseline = test.filter((e) => e.label === majority).length / test.length;

console.log(`\nheld-out documents: ${test.length} in ${new Set(test.map((e) => e.label)).size} first levels`);
console.log(`  accuracy (top-1):                     ${f(right.length / test.length)}  (${right.length}/${test.length})`);
console.log(`  at/above ${TOPIC_REVIEW_THRESHOLD} (taken without review): ${f(rightIn(sure) / sure.length)}  (${rightIn(sure)}/${sure.length})`);
console.log(`  below ${TOPIC_REVIEW_THRESHOLD} (to the editors' queue):    ${f(rightIn(unsure) / unsure.length)}  (${rightIn(unsure)}/${unsure.length})`);
console.log(`  baseline, always the most frequent level (${majority}): ${f(baseline)}`);
const wrong = guesses.filter(({ e, g }) => g.topic !== e.label);
console.log(`  wrong guesses caught by the queue: ${wrong.filter(({ g }) => g.needsReview).length} of ${wrong.length}`);
for (const { e, g } of wrong)
  console.log(`    ${e.label} → ${g.topic} (${g.confidence.toFixed(2)}${g.needsReview ? ', queued' : ''}): ${e.title.slice(0, 40)}`);

console.log(
  `\nRESULT docs=${examples.length} test=${test.length} accuracy=${f(right.length / test.length)} threshold=${TOPIC_REVIEW_THRESHOLD} ` +
    `above=${sure.length} above_accuracy=${f(rightIn(sure) / sure.length)} below=${unsure.length} below_accuracy=${f(rightIn(unsure) / unsure.length)} baseline=${f(baseline)}`,
);
