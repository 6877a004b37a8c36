import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { describe, expect, it } from 'vitest';
import { ImportDocumentSchema, sanitizeHtml } from '@ywtc/cms-schema';
import { buildRegistry, loadRegistrySource } from '../../seed/registry.ts';
import { columnsFor } from '../../seed/columns.ts';
import { decodeChunks, type ResolvedEncoding } from '../files/decode.ts';
import { CORPUS_CHANNELS, CORPUS_SITE, corpusRecords, corpusTruth } from '../files/corpus.ts';
import { writeCorpus } from '../files/corpus-write.ts';
import { readFileSource } from '../files/read-source.ts';
import { collect } from './files-helpers.ts';

/** A full collection before each heap sample, so the figure is what is still reachable, not garbage not yet collected. */
setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;
const liveHeap = () => {
  gc();
  return process.memoryUsage().heapUsed;
};

describe('streaming', () => {
  it('reads a 50,000-line JSONL export with bounded memory (the file is never held whole)', async () => {
    const { path, source, bytes } = await writeCorpus(mkdtempSync(join(tmpdir(), 'ywtc-corpus-')), 'jsonl', 50_000);
    expect(bytes).toBeGreaterThan(50_000_000);
    const before = liveHeap();
    let peak = 0;
    let documents = 0;
    for await (const ev of readFileSource(source, path)) {
      if (ev.type === 'document') documents++;
      if (ev.index % 5_000 === 0) peak = Math.max(peak, liveHeap() - before);
    }
    expect(documents).toBe(49_998);
    // The seen-id table grows with the file (50,000 short ids ≈ 5 MB); the file itself (> 50 MB, twice that as JS strings) never sits in memory.
    expect(peak).toBeLessThan(16 * 1024 * 1024);
  }, 60_000);

  it('startAt skips the first records without mapping them, keeping indexes and the duplicate check whole', async () => {
    const { path, source, truth } = await writeCorpus(mkdtempSync(join(tmpdir(), 'ywtc-corpus-')), 'csv', 200);
    const all = await collect(readFileSource(source, path));
    const dup = truth.planted.find((p) => p.problem === 'duplicate-id')!;
    const resumed = await collect(readFileSource(source, path, { startAt: dup.index }));
    expect(resumed[0]!.index).toBe(dup.index);
    expect(resumed).toEqual(all.slice(dup.index));
    expect(resumed[0]).toMatchObject({ type: 'failed', reason: expect.stringContaining(`记录标识重复，与第 ${dup.duplicateOf! + 1} 条相同`) });
  });

  it('decodes GB18030 and UTF-8 split anywhere, deciding after a long ASCII start', async () => {
    const text = `${'id,title\n'.repeat(1000)}1,示例：西乡塘区关于做好森林防火工作的通知。€𠀀\n`;
    const gb = new Uint8Array([
      ...new TextEncoder().encode('id,title\n'.repeat(1000)),
      ...(await gbBytes('1,示例：西乡塘区关于做好森林防火工作的通知。€𠀀\n')),
    ]);
    for (const [bytes, enc] of [
      [gb, 'gb18030'],
      [new TextEncoder().encode(text), 'utf-8'],
    ] as const) {
      for (const size of [1, 2, 5, 4096]) {
        const seen: ResolvedEncoding[] = [];
        const out = (await collect(decodeChunks(chunks(bytes, size), 'auto', (e) => seen.push(e)))).join('');
        expect(out).toBe(text);
        expect(seen).toEqual([enc]);
      }
    }
    const bom = new Uint8Array([0xef, 0xbb, 0xbf, ...new TextEncoder().encode('示例')]);
    expect((await collect(decodeChunks(chunks(bom, 1)))).join('')).toBe('示例');
  });
});

describe('the benchmark corpus', () => {
  it('is the same for the same seed, varied within, every title marked 示例', () => {
    const a = [...corpusRecords(300, 7)];
    expect([...corpusRecords(300, 7)]).toEqual(a);
    expect([...corpusRecords(300, 8)]).not.toEqual(a);
    expect(a.every((r) => r.DOCTITLE.startsWith('示例'))).toBe(true);
    expect(new Set(a.map((r) => r.DOCCONTENT)).size).toBe(300);
    expect(new Set(a.map((r) => r.FWJG)).size).toBeGreaterThan(10);
    expect(new Set(a.map((r) => r.DOCPUBTIME.slice(0, 4))).size).toBeGreaterThan(5);
  });

  it('goes to a site and columns of the registry', () => {
    const site = buildRegistry(loadRegistrySource()).find((s) => s.id === CORPUS_SITE)!;
    const slugs = columnsFor(site).map((c) => c.slug);
    for (const c of CORPUS_CHANNELS) expect(slugs).toContain(c.column);
  });

  it.each(['jsonl', 'csv', 'xml'] as const)('%s: the planted records come out as the ground truth says, every other record is valid', async (format) => {
    const { path, source, truth } = await writeCorpus(mkdtempSync(join(tmpdir(), 'ywtc-corpus-')), format, 400);
    expect(truth).toEqual(corpusTruth(400));
    const events = await collect(readFileSource(source, path));
    expect(events).toHaveLength(400);
    for (const p of truth.planted) expect(events[p.index]!.type, p.problem).toBe(p.reader === 'failed' ? 'failed' : 'document');
    const planted = new Map(truth.planted.map((p) => [p.index, p]));
    for (const ev of events) {
      if (ev.type !== 'document') continue;
      const r = ImportDocumentSchema.safeParse(ev.record);
      const p = planted.get(ev.index);
      if (p?.problem === 'missing-date') expect(r.error?.issues[0]?.path).toEqual(['publishedAt']);
      else expect(r.success, `${ev.index}: ${JSON.stringify(r.error?.issues)}`).toBe(true);
      if (p?.problem === 'chinese-date') expect(r.data?.publishedAt).toBe(p.publishedAt);
      if (p?.problem === 'hostile-markup') {
        // Handed on as the export had it; the store's sanitizer is what removes it.
        expect(ev.record.bodyHtml).toContain('<script>alert(1)</script>');
        expect(sanitizeHtml(ev.record.bodyHtml)).not.toMatch(/<script|onerror=|="javascript:/i);
      }
      if (p?.problem === 'illegal-link') expect(ev.record.bodyHtml).toContain(`http://${p.domain}/`);
    }
    expect(events.filter((e) => e.type === 'document')).toHaveLength(truth.documents);
  });
});

async function* chunks(bytes: Uint8Array, size: number) {
  for (let i = 0; i < bytes.length; i += size) yield bytes.subarray(i, i + size);
}

/** GB18030 bytes of `s`: TextEncoder only writes UTF-8, so iconv (glibc) encodes them. */
async function gbBytes(s: string): Promise<Uint8Array> {
  const { execFileSync } = await import('node:child_process');
  return new Uint8Array(execFileSync('iconv', ['-f', 'UTF-8', '-t', 'GB18030'], { input: s }));
}
