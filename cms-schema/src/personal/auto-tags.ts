/**
 * A document's interest tags, as every write path stores them (the seed, a CMS publish): the editor's 兴趣领域
 * when chosen; otherwise the 主题分类's interest areas (metadata an editor entered) and the classifier's guesses
 * over title and text. When the classifier's best guess is below LOW_CONFIDENCE the automatic tags are marked
 * for editors (needsReview): they still count for recommendations, and an editor confirms or corrects them by
 * choosing the document's 兴趣领域.
 */
import { classify, type ClassifierModel } from './classifier.ts';
import { INTEREST_AREAS, INTEREST_CODES, interestsOfTopic, type InterestCode } from './interests.ts';
import type { DocumentTag } from './tags.ts';
import { htmlToText } from '../sanitize.ts';
import interestModel from './interest-model.json' with { type: 'json' };

export const LOW_CONFIDENCE = 0.5;
/** A further guess is kept when the classifier gives it at least this much. */
const SECOND_GUESS = 0.25;
const MAX_AUTO_TAGS = 3;
/** 主题分类 is entered by an editor: as good as a confident guess, short of the editor's own choice. */
const TOPIC_CONFIDENCE = 0.9;
/** A title keyword of an area the model cannot propose: a rule, not a measured guess. */
const KEYWORD_CONFIDENCE = 0.6;

export const INTEREST_MODEL = interestModel as unknown as ClassifierModel;
const KNOWN = new Set<string>(INTEREST_CODES);

export interface Taggable {
  id: string;
  title: string;
  bodyHtml: string;
  interests: readonly InterestCode[];
  topic: string | null;
}

export function tagDocument(doc: Taggable, model: ClassifierModel = INTEREST_MODEL): DocumentTag[] {
  if (doc.interests.length)
    return [...new Set(doc.interests)].map((interest) => ({ documentId: doc.id, interest, confidence: 1, source: 'editor', needsReview: false }));
  const guesses = classify(model, { title: doc.title, text: htmlToText(doc.bodyHtml) }).filter((g) => KNOWN.has(g.label));
  const top = guesses[0]?.confidence ?? 0;
  const byInterest = new Map<InterestCode, number>();
  for (const code of interestsOfTopic(doc.topic)) byInterest.set(code, TOPIC_CONFIDENCE);
  for (const [i, g] of guesses.entries()) {
    if (i >= MAX_AUTO_TAGS || (i > 0 && g.confidence < SECOND_GUESS)) break;
    const code = g.label as InterestCode;
    byInterest.set(code, Math.max(byInterest.get(code) ?? 0, g.confidence));
  }
  // An area the model has no examples for (婚姻登记: no title in the training data mentions it) is found by its
  // keywords in the title's subject, after any issuer before 关于.
  const subject = doc.title.slice(doc.title.lastIndexOf('关于') + 1);
  for (const code of INTEREST_CODES)
    if (!(code in model.logPriors) && INTEREST_AREAS[code].keywords.some((k) => subject.includes(k)))
      byInterest.set(code, Math.max(byInterest.get(code) ?? 0, KEYWORD_CONFIDENCE));
  const needsReview = top < LOW_CONFIDENCE && interestsOfTopic(doc.topic).length === 0;
  return [...byInterest].map(([interest, confidence]) => ({
    documentId: doc.id,
    interest,
    confidence: Math.round(confidence * 1000) / 1000,
    source: 'auto',
    needsReview,
  }));
}
