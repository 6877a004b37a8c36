/** The records of a JSON Lines file (blank lines skipped): the data sets, seed slices and evaluation sets. */
import { readFileSync } from 'node:fs';

export const readJsonl = <T = Record<string, unknown>>(file: string): T[] =>
  readFileSync(file, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as T);
