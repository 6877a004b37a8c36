/**
 * 主题分类 of an imported document (issue 15): the record's own when it names a valid first level (the source
 * knew it), otherwise the topic model's best first level — the 千人千网 classifier (personal/classifier.ts)
 * trained on documents that carry a 主题分类 (`npm run data:topics`, scripts/seed/train-topics.ts). A guess below
 * TOPIC_REVIEW_THRESHOLD waits in the editors' queue (/admin/import/queue) until someone confirms or corrects it;
 * it is stored and used (the 政策文件库 filter, search facets) meanwhile.
 */
import { classify, type ClassifierModel, type TrainOptions } from './personal/classifier.ts';
import { POLICY_TOPICS } from './topics.ts';
import { htmlToText } from './sanitize.ts';
import topicModel from './topic-model.json' with { type: 'json' };

export type PolicyTopic = (typeof POLICY_TOPICS)[number];

export const TOPIC_MODEL = topicModel as unknown as ClassifierModel;

/**
 * Fewer features per label than the interest model's 400: most first levels have a handful of labelled
 * documents, whose 200 most telling bigrams are all they have to say, and the JSON stays small.
 */
export const TOPIC_TRAIN_OPTIONS: TrainOptions = { topK: 200 };

/**
 * A guess below this confidence needs an editor. Chosen by `npm run eval:topics` on the training documents'
 * out-of-fold guesses (never on the held-out documents it reports): the lowest confidence at which the guesses
 * at or above it were right at least 80 % of the time — a guess taken without review should be wrong at most
 * one time in five. docs/benchmarks.md has the figures.
 */
export const TOPIC_REVIEW_THRESHOLD = 0.8;

export interface TopicInput {
  title: string;
  bodyHtml: string;
  /** The record's 主题分类, `first` or `first/second` (a backslash also separates, as national data writes it). */
  topic?: string | null;
}

export interface TopicGuess {
  /** The record's topic as given (its first level valid, `\` written as `/`), or the model's first level. */
  topic: string;
  confidence: number;
  source: 'record' | 'auto';
  needsReview: boolean;
}

const FIRST_LEVELS = new Set<string>(POLICY_TOPICS);

/** The first level of a stored or given 主题分类 when it is one of POLICY_TOPICS, else null. */
export function policyTopicOf(topic: string | null | undefined): PolicyTopic | null {
  const first = topic?.split(/[\\/]/)[0]?.trim();
  return first && FIRST_LEVELS.has(first) ? (first as PolicyTopic) : null;
}

export function classifyTopic(input: TopicInput, model: ClassifierModel = TOPIC_MODEL): TopicGuess {
  if (policyTopicOf(input.topic)) {
    const topic = input
      .topic!.trim()
      .split(/[\\/]/)
      .map((s) => s.trim())
      .filter(Boolean)
      .join('/');
    return { topic, confidence: 1, source: 'record', needsReview: false };
  }
  const best = classify(model, { title: input.title, text: htmlToText(input.bodyHtml) }).find((g) => FIRST_LEVELS.has(g.label));
  // A model without any first level (never shipped so) cannot guess: 其他, for an editor to decide.
  if (!best) return { topic: '其他', confidence: 0, source: 'auto', needsReview: true };
  const confidence = Math.round(best.confidence * 1000) / 1000;
  return { topic: best.label, confidence, source: 'auto', needsReview: confidence < TOPIC_REVIEW_THRESHOLD };
}
