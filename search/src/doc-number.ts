/**
 * 发文字号 as people type them: 桂政办发〔2021〕120号 is also written 桂政办发[2021]120号, 桂政办发（2021）120号,
 * 桂政办发【2021】120号, 桂政办发2021年120号 or 桂政办发 2021 120号. All of them map to the canonical 六角括号 form the
 * content store keeps (cms-schema DocNumberSchema), so a look-up by number finds the document whatever the brackets.
 */
const OPEN = '[〔［\\[（(【{｛<＜《「『]';
const CLOSE = '[〕］\\]）)】}｝>＞》」』]';
const FULLWIDTH_DIGITS = /[０-９]/g;

const NUMBER_RE = new RegExp(
  `^\\s*([\\u4e00-\\u9fa5A-Za-z、]{1,40}?)\\s*(?:${OPEN}\\s*(\\d{4})\\s*${CLOSE}|(\\d{4})\\s*年?)\\s*(?:第)?\\s*(\\d{1,5})\\s*号?\\s*$`,
);

/** The canonical form of a 发文字号 written any common way, or null when the text is not one. */
export function normalizeDocNumber(input: string): string | null {
  const s = input.replace(FULLWIDTH_DIGITS, (d) => String.fromCharCode(d.charCodeAt(0) - 0xfee0)).replace(/\s+/g, ' ');
  const m = NUMBER_RE.exec(s);
  if (!m) return null;
  const [, agency, bracketYear, bareYear, serial] = m;
  const year = bracketYear ?? bareYear!;
  const y = Number(year);
  if (y < 1949 || y > 2100) return null;
  return `${agency ?? ''}〔${year}〕${Number(serial)}号`;
}

/** Whether a query looks like a document number (an agency prefix, a year and a serial). */
export const looksLikeDocNumber = (q: string) => normalizeDocNumber(q) !== null;
