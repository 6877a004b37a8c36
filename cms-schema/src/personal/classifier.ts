/**
 * A small text classifier for Chinese documents (千人千网's automatic interest tags), with no dependencies so it
 * runs in the Worker as well as in the scripts, and a model that is plain JSON (shipped as interest-model.json).
 *
 * Features: character bigrams of Han text (a lone Han character counts as itself) and lower-cased Latin/digit
 * words that are not bare numbers, after NFKC (full-width letters and digits become ASCII). The title counts
 * `titleWeight` times, the body only for its first `bodyChars` characters: the title and the opening say what
 * a document is about, the rest mostly repeats it or lists details.
 *
 * Model: one-vs-rest multinomial Naive Bayes with Laplace smoothing. For each label c and feature f the weight
 * is the log-odds log P(f | c) − log P(f | not c) (the complement NB idea: the rest of the data is the
 * reference, which keeps small labels from drowning under big ones). Only each label's top-k positive weights
 * are kept, ranked by the log-odds over its standard error (a z-score) rather than by the raw log-odds, which
 * favours bigrams seen in two documents of the label and nowhere else; a feature a label does not keep weighs
 * 0 for it, i.e. is taken to be as frequent inside the label as outside. That is what keeps the JSON small
 * (k = 400: 16 labels × 400 features ≈ 95 KB minified).
 *
 * Confidence: score(c) = log prior(c) + scale × (mean weight of the document's features for c, the mean taken
 * over at least `minFeatures` occurrences so that a bare title is not certain); the confidences are the softmax
 * of the scores, so they are posteriors that sum to 1. Plain NB sums thousands of bigram log-odds
 * and puts ~1.0 on one label for every document, which would make "low confidence" meaningless; averaging per
 * feature and fitting `scale` on held-out examples (a fifth of the training examples, chosen by a hash of the
 * title, minimising log loss) makes the confidences roughly calibrated (docs/benchmarks.md: top labels given
 * ≥ 0.8 were right 96 % of the time, those given 0.4–0.6 about half the time).
 */

export interface ClassifierInput {
  title: string;
  text: string;
}

export interface ClassifierExample extends ClassifierInput {
  /** A multi-label example counts once for each of its labels. */
  labels: readonly string[];
}

export interface LabelConfidence {
  label: string;
  confidence: number;
}

export interface TrainOptions {
  /** Features kept per label, by log-odds (default 400). */
  topK?: number;
  /** How many times the title counts against the body (default 5). */
  titleWeight?: number;
  /** Characters of body text read (default 3,000). */
  bodyChars?: number;
  /** Laplace smoothing, a pseudo-count per feature (default 0.03: with ~100,000 distinct bigrams, 1 would swamp a small label's counts). */
  alpha?: number;
  /** A feature is kept for a label only if that many of its examples have it (default 2): a bigram of one document is a name, not a subject. */
  minDocs?: number;
  /** Softmax scale of the mean feature weight; by default fitted on held-out examples (see the module comment). */
  scale?: number;
}

/**
 * Plain JSON, keys in code-point order (stable output, reviewable diffs). Labels are the keys of `logPriors`
 * (and of `weights`); flat rather than an array of label objects so that the committed, indented file stays
 * shallow and small.
 */
export interface ClassifierModel {
  format: 'ywtc-nb-1';
  titleWeight: number;
  bodyChars: number;
  /** Evidence is averaged over at least this many (title-weighted) feature occurrences. */
  minFeatures: number;
  scale: number;
  /** label → log prior probability. */
  logPriors: Record<string, number>;
  /** label → feature → log-odds weight (only the label's top-k features). */
  weights: Record<string, Record<string, number>>;
}

export interface TextClassifier {
  classify(input: ClassifierInput): LabelConfidence[];
}

/**
 * Chosen by `npm run eval:classify -- --tune` (an inner cross-validation on training folds only, never on the
 * documents the benchmark reports); topK is also what keeps ~17 labels within ~100 KB of JSON.
 */
export const CLASSIFIER_DEFAULTS = { topK: 400, titleWeight: 5, bodyChars: 3000, alpha: 0.03, minDocs: 2 } as const;
/**
 * A short input — a title alone, a two-line notice — has few features, and the mean of a few strongly weighted
 * bigrams would look as sure as a whole document; averaging over at least 500 occurrences (a title and ~400
 * characters of text) gives it the lower confidence its little evidence deserves, so its tags get reviewed.
 * Chosen a priori, not tuned: it hardly touches the documents the scale is fitted on.
 */
const MIN_FEATURES = 500;
/** The keyword baseline counts a title hit three times. */
const KEYWORD_TITLE_WEIGHT = 3;
/** The scale used when there are too few examples to fit one (fewer than 20, or no held-out example). */
const DEFAULT_SCALE = 20;
const SCALE_GRID = Array.from({ length: 61 }, (_, i) => Math.round(10 ** (-0.5 + i * 0.05) * 1000) / 1000); // 0.32 … 316

const byCodePoint = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
const round3 = (x: number) => Math.round(x * 1000) / 1000;

/** Han characters: the CJK unified ideographs and their extensions, 々 and 〇 (compatibility ideographs become unified ones under NFKC). */
const isHan = (cp: number) =>
  (cp >= 0x4e00 && cp <= 0x9fff) || (cp >= 0x3400 && cp <= 0x4dbf) || cp === 0x3005 || cp === 0x3007 || (cp >= 0x20000 && cp <= 0x3ffff);
const isWordChar = (cp: number) => (cp >= 0x61 && cp <= 0x7a) || (cp >= 0x30 && cp <= 0x39);

/**
 * A feature while counting: a bigram of two characters in U+3000–U+9FFF (nearly every bigram) is the number
 * (a − 0x3000) << 15 | (b − 0x3000), a small integer, because Maps keyed by fresh two-character strings made
 * tokenising the slowest part of training; anything else is its string. The model stores strings (nameOf).
 */
type FeatureKey = number | string;
const packable = (cp: number) => cp >= 0x3000 && cp <= 0x9fff;
const bigramKey = (a: number, b: number): FeatureKey => (packable(a) && packable(b) ? ((a - 0x3000) << 15) | (b - 0x3000) : String.fromCodePoint(a, b));
const nameOf = (k: FeatureKey) => (typeof k === 'number' ? String.fromCharCode((k >> 15) + 0x3000, (k & 0x7fff) + 0x3000) : k);
function keyOf(name: string): FeatureKey {
  const a = name.charCodeAt(0);
  const b = name.charCodeAt(1);
  return name.length === 2 && packable(a) && packable(b) ? bigramKey(a, b) : name;
}

function addTokens(counts: Map<FeatureKey, number>, text: string, weight: number): void {
  const s = text.normalize('NFKC').toLowerCase();
  const add = (k: FeatureKey) => counts.set(k, (counts.get(k) ?? 0) + weight);
  let previous = -1; // the last Han character of the current run
  let runLength = 0;
  let wordStart = -1;
  for (let i = 0; i <= s.length;) {
    const cp = i < s.length ? s.codePointAt(i)! : 0;
    if (isWordChar(cp)) {
      if (wordStart < 0) wordStart = i;
    } else if (wordStart >= 0) {
      const word = s.slice(wordStart, i);
      // Bare numbers are years, dates and serial numbers, not subjects (and would be integer-like JSON keys).
      if (word.length <= 24 && !/^\d+$/.test(word)) add(word);
      wordStart = -1;
    }
    if (isHan(cp)) {
      if (runLength > 0) add(bigramKey(previous, cp));
      previous = cp;
      runLength++;
    } else {
      if (runLength === 1) add(String.fromCodePoint(previous));
      runLength = 0;
    }
    i += cp > 0xffff ? 2 : 1;
  }
}

/** The document's features with their (title-weighted) counts. */
function featuresOf(input: ClassifierInput, titleWeight: number, bodyChars: number): Map<FeatureKey, number> {
  const counts = new Map<FeatureKey, number>();
  addTokens(counts, input.title, titleWeight);
  addTokens(counts, input.text.slice(0, bodyChars), 1);
  return counts;
}

/** FNV-1a of a string: a deterministic, platform-independent hash for the held-out split. */
function fnv1a(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h;
}

/** An example as feature ids (into the training run's feature names) and counts. */
interface Vectorised {
  ids: Int32Array;
  counts: Float64Array;
  labels: readonly string[];
}

/** Per-label counts over the feature ids: dense arrays, because Maps keyed by strings made training take seconds. */
interface Counts {
  perLabel: Map<string, { docs: number; total: number; counts: Float64Array; docFreq: Int32Array }>;
  all: Float64Array;
  total: number;
  labelled: number;
}

function emptyCounts(size: number): Counts {
  return { perLabel: new Map(), all: new Float64Array(size), total: 0, labelled: 0 };
}

function accumulate(c: Counts, examples: readonly Vectorised[]): void {
  for (const ex of examples) {
    for (const label of new Set(ex.labels)) {
      let s = c.perLabel.get(label);
      if (!s) c.perLabel.set(label, (s = { docs: 0, total: 0, counts: new Float64Array(c.all.length), docFreq: new Int32Array(c.all.length) }));
      s.docs++;
      c.labelled++;
      for (let j = 0; j < ex.ids.length; j++) {
        const f = ex.ids[j]!;
        const n = ex.counts[j]!;
        s.counts[f]! += n;
        s.docFreq[f]!++;
        s.total += n;
        c.all[f]! += n;
        c.total += n;
      }
    }
  }
}

function fit(c: Counts, names: readonly string[], o: Required<Omit<TrainOptions, 'scale'>>, scale: number): ClassifierModel {
  const { perLabel, all, total, labelled } = c;
  const size = names.length;
  let vocabulary = 0;
  for (let f = 0; f < size; f++) if (all[f]! > 0) vocabulary++;
  const minDocs = Math.max(1, o.minDocs);
  const logPriors: Record<string, number> = {};
  const weights: Record<string, Record<string, number>> = {};
  for (const label of [...perLabel.keys()].sort(byCodePoint)) {
    const s = perLabel.get(label)!;
    const inDenominator = s.total + o.alpha * vocabulary;
    const outDenominator = total - s.total + o.alpha * vocabulary;
    // [feature, z, weight]: ranked by z, the log-odds over its standard error, so that a bigram seen twice in the
    // label and never elsewhere (often a name or an accident of wording) does not outrank 教育 in 教育入学.
    const candidates: number[] = [];
    const zs: number[] = [];
    const ws: number[] = [];
    for (let f = 0; f < size; f++) {
      if (s.docFreq[f]! < minDocs) continue;
      const n = s.counts[f]! + o.alpha;
      const rest = all[f]! - s.counts[f]! + o.alpha;
      const w = Math.log(n / inDenominator) - Math.log(rest / outDenominator);
      if (w <= 0) continue;
      candidates.push(f);
      zs.push(w / Math.sqrt(1 / n + 1 / rest));
      ws.push(w);
    }
    // Only the top k are sorted with names: the k-th largest z (a numeric typed-array sort) is the cut.
    const cut = candidates.length > o.topK ? Float64Array.from(zs).sort()[candidates.length - o.topK]! : -Infinity;
    const scored: [string, number, number][] = [];
    candidates.forEach((f, i) => {
      if (zs[i]! >= cut) scored.push([names[f]!, zs[i]!, ws[i]!]);
    });
    scored.sort((a, b) => b[1] - a[1] || byCodePoint(a[0], b[0]));
    const kept = scored.slice(0, o.topK).sort((a, b) => byCodePoint(a[0], b[0]));
    logPriors[label] = round3(Math.log(s.docs / labelled));
    weights[label] = Object.fromEntries(kept.map(([f, , w]) => [f, round3(w)]));
  }
  return { format: 'ywtc-nb-1', titleWeight: o.titleWeight, bodyChars: o.bodyChars, minFeatures: MIN_FEATURES, scale, logPriors, weights };
}

interface ModelIndex {
  labels: string[];
  logPriors: number[];
  /** feature → [label index, weight] pairs: one Map lookup per document feature instead of one per feature and label. */
  postings: Map<FeatureKey, [number, number][]>;
}
const INDEXES = new WeakMap<ClassifierModel, ModelIndex>();
function indexOf(model: ClassifierModel): ModelIndex {
  let index = INDEXES.get(model);
  if (!index) {
    const labels = Object.keys(model.logPriors);
    const postings = new Map<FeatureKey, [number, number][]>();
    labels.forEach((label, i) => {
      for (const [name, w] of Object.entries(model.weights[label] ?? {})) {
        const f = keyOf(name);
        const list = postings.get(f);
        if (list) list.push([i, w]);
        else postings.set(f, [[i, w]]);
      }
    });
    index = { labels, logPriors: labels.map((l) => model.logPriors[l]!), postings };
    INDEXES.set(model, index);
  }
  return index;
}

/** Per label (in index order): log prior and the mean weight of the document's features (before scaling). */
function rawScores(model: ClassifierModel, features: Map<FeatureKey, number>): { logPrior: number; evidence: number }[] {
  const { labels, logPriors, postings } = indexOf(model);
  const sums = new Array<number>(labels.length).fill(0);
  let n = 0;
  for (const [f, c] of features) {
    n += c;
    for (const [i, w] of postings.get(f) ?? []) sums[i]! += w * c;
  }
  const over = Math.max(n, model.minFeatures);
  return logPriors.map((logPrior, i) => ({ logPrior, evidence: over > 0 ? sums[i]! / over : 0 }));
}

function softmax(scores: readonly number[]): number[] {
  const max = Math.max(...scores);
  const exps = scores.map((s) => Math.exp(s - max));
  const z = exps.reduce((a, b) => a + b, 0);
  return exps.map((e) => e / z);
}

/** Trains a model. Deterministic: the same examples (in any order) give the same JSON. */
export function trainClassifier(examples: readonly ClassifierExample[], options: TrainOptions = {}): ClassifierModel {
  const o = {
    topK: options.topK ?? CLASSIFIER_DEFAULTS.topK,
    titleWeight: options.titleWeight ?? CLASSIFIER_DEFAULTS.titleWeight,
    bodyChars: options.bodyChars ?? CLASSIFIER_DEFAULTS.bodyChars,
    alpha: options.alpha ?? CLASSIFIER_DEFAULTS.alpha,
    minDocs: options.minDocs ?? CLASSIFIER_DEFAULTS.minDocs,
  };
  const ids = new Map<FeatureKey, number>();
  const names: string[] = [];
  const vectors: (Vectorised & { heldOut: boolean; features?: Map<FeatureKey, number> })[] = examples
    .filter((ex) => ex.labels.length > 0)
    .map((ex) => {
      const features = featuresOf(ex, o.titleWeight, o.bodyChars);
      const heldOut = fnv1a(ex.title + '\n' + ex.text.slice(0, 200)) % 5 === 0;
      const v = {
        ids: new Int32Array(features.size),
        counts: new Float64Array(features.size),
        labels: ex.labels,
        heldOut,
        features: heldOut ? features : undefined,
      };
      let j = 0;
      for (const [f, n] of features) {
        let id = ids.get(f);
        if (id === undefined) {
          ids.set(f, (id = names.length));
          names.push(nameOf(f));
        }
        v.ids[j] = id;
        v.counts[j++] = n;
      }
      return v;
    });
  if (vectors.length === 0) throw new Error('trainClassifier: no labelled example');
  let scale = options.scale;
  const heldOut = vectors.filter((v) => v.heldOut);
  if (scale === undefined && (vectors.length < 20 || heldOut.length === 0 || heldOut.length === vectors.length)) scale = DEFAULT_SCALE;
  // Counted once: first the four fifths the scale is fitted with, then the held-out fifth on top.
  const counts = emptyCounts(names.length);
  accumulate(
    counts,
    vectors.filter((v) => !v.heldOut),
  );
  if (scale === undefined) {
    // Fit the softmax scale on a fifth of the examples with a model trained on the other four fifths.
    const inner = fit(counts, names, o, 1);
    const raw = heldOut.map((v) => ({ scores: rawScores(inner, v.features!), right: indexOf(inner).labels.map((l) => v.labels.includes(l)) }));
    let best = { scale: DEFAULT_SCALE, loss: Infinity };
    for (const s of SCALE_GRID) {
      let loss = 0;
      for (const r of raw) {
        const p = softmax(r.scores.map((x) => x.logPrior + s * x.evidence));
        const pRight = p.reduce((sum, q, i) => sum + (r.right[i] ? q : 0), 0);
        loss -= Math.log(Math.max(pRight, 1e-9));
      }
      if (loss < best.loss) best = { scale: s, loss };
    }
    scale = best.scale;
  }
  accumulate(counts, heldOut);
  return fit(counts, names, o, scale);
}

/** Labels with their posteriors, most likely first (ties in label order); empty if the model has no label. */
export function classify(model: ClassifierModel, input: ClassifierInput): LabelConfidence[] {
  const { labels } = indexOf(model);
  if (labels.length === 0) return [];
  const raw = rawScores(model, featuresOf(input, model.titleWeight, model.bodyChars));
  const p = softmax(raw.map((x) => x.logPrior + model.scale * x.evidence));
  return labels
    .map((label, i) => ({ label, confidence: p[i]!, i }))
    .sort((a, b) => b.confidence - a.confidence || a.i - b.i)
    .map(({ label, confidence }) => ({ label, confidence }));
}

function occurrences(haystack: string, needle: string): number {
  if (!needle) return 0;
  let n = 0;
  for (let i = haystack.indexOf(needle); i >= 0; i = haystack.indexOf(needle, i + needle.length)) n++;
  return n;
}

/**
 * The keyword-rule baseline: a label scores 3 × its keywords' occurrences in the title plus their occurrences in
 * the first 3,000 characters of the body; confidence = a label's share of all labels' scores. A document
 * without any keyword gets an empty list (no guess): a rule that fires on nothing should say so rather than
 * fall back to the majority label, so its precision stays the precision of its rules.
 */
export function keywordRuleClassifier(rules: Record<string, readonly string[]>): TextClassifier {
  const norm = (s: string) => s.normalize('NFKC').toLowerCase();
  const compiled = Object.entries(rules).map(([label, words]) => ({ label, words: [...new Set(words.map(norm))].filter(Boolean) }));
  return {
    classify({ title, text }) {
      const t = norm(title);
      const b = norm(text.slice(0, CLASSIFIER_DEFAULTS.bodyChars));
      const hits = compiled
        .map(({ label, words }, i) => ({ label, i, score: words.reduce((s, w) => s + KEYWORD_TITLE_WEIGHT * occurrences(t, w) + occurrences(b, w), 0) }))
        .filter((h) => h.score > 0);
      const sum = hits.reduce((s, h) => s + h.score, 0);
      return hits.sort((a, b) => b.score - a.score || a.i - b.i).map((h) => ({ label: h.label, confidence: h.score / sum }));
    },
  };
}

/**
 * Keyword rules learned from training titles, for labels nobody wrote keywords for: each label's `perLabel`
 * most distinctive Han substrings of 2–4 characters. A word's score for a label is its smoothed precision,
 * a / (a + b + 1) with a = the label's titles containing it and b = the other titles containing it; a word must
 * be in at least 2 of the label's titles, and a word containing one already chosen adds nothing and is skipped.
 * Labels in code-point order, words best first (ties: more titles, then code-point order).
 */
export function learnKeywordRules(examples: readonly ClassifierExample[], perLabel: number): Record<string, string[]> {
  const titlesWith = new Map<string, number>();
  const labelTitlesWith = new Map<string, Map<string, number>>();
  for (const ex of examples) {
    const words = new Set<string>();
    for (const [run] of ex.title
      .normalize('NFKC')
      .toLowerCase()
      .matchAll(/\p{Script=Han}+/gu)) {
      const chars = [...run];
      for (let len = 2; len <= 4; len++) for (let i = 0; i + len <= chars.length; i++) words.add(chars.slice(i, i + len).join(''));
    }
    for (const w of words) titlesWith.set(w, (titlesWith.get(w) ?? 0) + 1);
    for (const label of new Set(ex.labels)) {
      let m = labelTitlesWith.get(label);
      if (!m) labelTitlesWith.set(label, (m = new Map<string, number>()));
      for (const w of words) m.set(w, (m.get(w) ?? 0) + 1);
    }
  }
  const rules: Record<string, string[]> = {};
  for (const label of [...labelTitlesWith.keys()].sort(byCodePoint)) {
    const candidates = [...labelTitlesWith.get(label)!]
      .filter(([, a]) => a >= 2)
      .map(([w, a]) => ({ w, a, score: a / (titlesWith.get(w)! + 1) }))
      .sort((x, y) => y.score - x.score || y.a - x.a || byCodePoint(x.w, y.w));
    const chosen: string[] = [];
    for (const c of candidates) {
      if (chosen.length >= perLabel) break;
      if (!chosen.some((w) => c.w.includes(w))) chosen.push(c.w);
    }
    rules[label] = chosen;
  }
  return rules;
}
