/**
 * What the file readers hand on. A format reader yields each record as the plain value it read (a JSON object,
 * a CSV row keyed by header, an XML element as an object) or a failure; read-source.ts maps the values to import
 * records. `index` is the record's 0-based position in the file, failures included, so a resumed run can skip
 * exactly the records an earlier run got through; messages count from 1 (第 1 条) as people do.
 */
import type { ImportDocumentInput } from '@ywtc/cms-schema';

/** A file the source names by address (a feed's enclosure, an export's attachment list): the driver fetches it. */
export interface AttachmentLink {
  name: string;
  url: string;
}

export interface RawRecordEvent {
  type: 'record';
  index: number;
  /** 1-based line where the record starts, when the format has lines that mean something to people. */
  line: number | null;
  value: unknown;
}

export interface FailedEvent {
  type: 'failed';
  index: number;
  line: number | null;
  sourceId: string | null;
  /** Chinese, naming the record (第 N 条, 第 L 行) and the field at fault. */
  reason: string;
}

export type RawEvent = RawRecordEvent | FailedEvent;

export interface DocumentEvent {
  type: 'document';
  index: number;
  line: number | null;
  record: ImportDocumentInput;
  attachments: AttachmentLink[];
}

export type FileEvent = DocumentEvent | FailedEvent;

/** “第 3 条（第 7 行）”: how a message names a record. */
export const recordLabel = (index: number, line: number | null): string => `第 ${index + 1} 条${line === null ? '' : `（第 ${line} 行）`}`;

export const failed = (index: number, line: number | null, reason: string, sourceId: string | null = null): FailedEvent => ({
  type: 'failed',
  index,
  line,
  sourceId,
  reason: `${recordLabel(index, line)}：${reason}`,
});

/** Bytes the decoder could not read in the file's encoding come out as U+FFFD. */
export const REPLACEMENT = '\uFFFD';
export const BAD_BYTES = '含无法按文件编码识别的字节（文件编码不一致或已损坏，可在来源配置中指定 encoding）';
