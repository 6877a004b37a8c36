/**
 * Attachments of imported documents, copied into R2 by content hash like the CMS's uploads
 * (attachments/<sha256>.<ext>): the same file on three old sites is one object. The type is judged by the name
 * and the file's first bytes (cms-schema attachment-types.ts), so a renamed executable is refused.
 */
import { MAX_ATTACHMENT_BYTES, attachmentType, type Attachment } from '@ywtc/cms-schema';

const hex = (b: ArrayBuffer) => [...new Uint8Array(b)].map((x) => x.toString(16).padStart(2, '0')).join('');

/** Stores one file; the attachment as a record names it, or why it was refused (in Chinese). */
export async function storeAttachment(
  pages: R2Bucket,
  rawName: string,
  bytes: Uint8Array,
  opts: { dryRun?: boolean } = {},
): Promise<Attachment | { error: string }> {
  if (bytes.byteLength > MAX_ATTACHMENT_BYTES) return { error: `附件超过 ${MAX_ATTACHMENT_BYTES / 1024 / 1024} MB` };
  // eslint-disable-next-line no-control-regex -- control characters are what this removes
  const name = rawName.replace(/[\\/\u0000-\u001f]/g, '_').slice(-200) || 'file';
  const type = attachmentType(name, bytes.subarray(0, 16));
  if (!type.ok) return { error: type.message };
  const sha256 = hex(await crypto.subtle.digest('SHA-256', new Uint8Array(bytes)));
  const key = `attachments/${sha256}.${type.ext}`;
  if (!opts.dryRun && !(await pages.head(key))) await pages.put(key, bytes, { httpMetadata: { contentType: type.contentType }, sha256 });
  return { name, key, contentType: type.contentType, size: bytes.byteLength, sha256 };
}
