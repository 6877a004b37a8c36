/**
 * The documents that carry a 主题分类, for training the topic model (train-topics.ts) and for evaluating it
 * (eval-topics.ts) — one definition, so the evaluation measures what is shipped.
 *
 * A document's label is the first level of its `topic` (stored as `first\second` in the data) when that level
 * is one of POLICY_TOPICS; otherwise its `category` when the category *is* a first level — 河北's portal files
 * its documents under the 主题分类 (工业、交通, 城乡建设、环境保护 …) and the data keeps that as the category, as the
 * seed does (content.ts: `topic: p.topic ?? p.category`). Other categories (科技政策, 基础教育, 政策解读 …) are a
 * site's own columns or document types, not the national classification, and are not mapped: a guessed mapping
 * would teach the model the guess.
 *
 * Source: the repo's slice scripts/seed/data/policies.jsonl, so the model can be rebuilt on a fresh clone; when
 * ../shared/data/policies.jsonl (directory overridable with SHARED_DATA) is there and labels more documents, it
 * is used instead — the slice's 60 labelled documents are all in it.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { POLICY_TOPICS } from '@ywtc/cms-schema/topics';
import type { Policy } from '../eval/policy-labels.ts';

export interface TopicExample {
  id: string;
  title: string;
  text: string;
  /** A first level of POLICY_TOPICS. */
  label: string;
}

const FIRST_LEVELS = new Set<string>(POLICY_TOPICS);

export function topicLabelOf(p: Policy): string | null {
  const first = p.topic ? p.topic.split(/[\\/]/)[0]!.trim() : null;
  if (first && FIRST_LEVELS.has(first)) return first;
  return p.category && FIRST_LEVELS.has(p.category) ? p.category : null;
}

function read(file: string): TopicExample[] {
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as Policy)
    .flatMap((p) => {
      const label = topicLabelOf(p);
      return label ? [{ id: p.id, title: p.title, text: p.body ?? '', label }] : [];
    })
    .sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

export const REPO_POLICIES = join(import.meta.dirname, 'data/policies.jsonl');
export const SHARED_POLICIES = join(process.env.SHARED_DATA ?? join(import.meta.dirname, '../../../shared/data'), 'policies.jsonl');

/** The labelled documents (in id order) and the file they came from. */
export function topicExamples(): { file: string; examples: TopicExample[] } {
  const repo = { file: REPO_POLICIES, examples: read(REPO_POLICIES) };
  if (!existsSync(SHARED_POLICIES)) return repo;
  const shared = { file: SHARED_POLICIES, examples: read(SHARED_POLICIES) };
  return shared.examples.length > repo.examples.length ? shared : repo;
}
