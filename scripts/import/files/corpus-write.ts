/**
 * The generated corpus (corpus.ts) written as an export file — JSON Lines, CSV or XML — with the file source
 * that reads it back: the benchmark's input, written on demand to a temporary directory with backpressure, so
 * 100,000 records never sit in memory at once.
 */
import { once } from 'node:events';
import { createWriteStream, statSync } from 'node:fs';
import { join } from 'node:path';
import { parseFileSource, type FileSource } from './config.ts';
import { CORPUS_CHANNELS, CORPUS_FIELDS, CORPUS_KINDS, CORPUS_SITE, corpusRecords, corpusTruth, type CorpusRecord, type CorpusTruth } from './corpus.ts';

export type CorpusFormat = 'jsonl' | 'csv' | 'xml';

/** The file source for the corpus in `format`: one mapping, as the three exports of one CMS would share. */
export function corpusSource(format: CorpusFormat): FileSource {
  return parseFileSource({
    type: 'file',
    id: `corpus-${format}`,
    name: `示例导出语料（${format.toUpperCase()}）`,
    siteId: CORPUS_SITE,
    format,
    ...(format === 'xml' ? { records: 'export.doc' } : {}),
    idField: 'DOCID',
    mapping: {
      title: { from: 'DOCTITLE', transform: 'trim' },
      bodyHtml: { from: 'DOCCONTENT', transform: 'html' },
      publishedAt: { from: 'DOCPUBTIME', transform: 'date' },
      kind: { from: 'DOCTYPE', transform: 'map', table: CORPUS_KINDS },
      issuer: 'FWJG',
      docNumber: 'WH',
      indexNumber: 'SYH',
      writtenOn: { from: 'CWRQ', transform: 'date' },
      keywords: { from: 'KEYWORDS', transform: 'split', separator: '、' },
      author: 'DOCAUTHOR',
      source: 'DOCSOURCE',
      url: 'DOCPUBURL',
    },
    defaults: { column: 'yw' },
    columns: CORPUS_CHANNELS.map((c) => ({ when: { field: 'CHNLNAME', equals: c.name }, column: c.column })),
  });
}

const csvField = (s: string) => (/[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s);
const xmlText = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
const cdata = (s: string) => `<![CDATA[${s.replace(/]]>/g, ']]]]><![CDATA[>')}]]>`;

function line(format: CorpusFormat, r: CorpusRecord): string {
  if (format === 'jsonl') return `${JSON.stringify(r)}\n`;
  if (format === 'csv') return `${CORPUS_FIELDS.map((f) => csvField(r[f])).join(',')}\n`;
  return `  <doc>${CORPUS_FIELDS.map((f) => `<${f}>${f === 'DOCCONTENT' ? cdata(r[f]) : xmlText(r[f])}</${f}>`).join('')}</doc>\n`;
}

/** Writes `count` records to dir/corpus.<format>; returns the file, its source and the ground truth. */
export async function writeCorpus(
  dir: string,
  format: CorpusFormat,
  count: number,
  seed = 1,
): Promise<{ path: string; source: FileSource; truth: CorpusTruth; bytes: number }> {
  const path = join(dir, `corpus.${format}`);
  const out = createWriteStream(path, 'utf8');
  const write = async (s: string) => {
    if (!out.write(s)) await once(out, 'drain');
  };
  if (format === 'csv') await write(`${CORPUS_FIELDS.join(',')}\n`);
  if (format === 'xml') await write('<?xml version="1.0" encoding="UTF-8"?>\n<export>\n');
  for (const r of corpusRecords(count, seed)) await write(line(format, r));
  if (format === 'xml') await write('</export>\n');
  out.end();
  await once(out, 'finish');
  return { path, source: corpusSource(format), truth: corpusTruth(count, seed), bytes: statSync(path).size };
}
