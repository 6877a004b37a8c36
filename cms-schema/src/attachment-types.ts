/**
 * What may be attached to a government document: office formats, PDF and OFD, images, archives — each by
 * extension, declared type and the first bytes of the file, so a renamed executable or an HTML page posing as
 * a PDF is refused. Size limit per file: 20 MB.
 */
import { lookup } from './lookup.ts';
export const MAX_ATTACHMENT_BYTES = 20 * 1024 * 1024;

interface FileType {
  contentType: string;
  magic: readonly (readonly number[])[];
}
const ZIP = [[0x50, 0x4b, 0x03, 0x04]] as const; // docx, xlsx, pptx, ofd and zip are zip containers
const OLE = [[0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]] as const; // doc, xls, ppt, wps, et

export const ATTACHMENT_TYPES: Record<string, FileType> = {
  pdf: { contentType: 'application/pdf', magic: [[0x25, 0x50, 0x44, 0x46, 0x2d]] },
  ofd: { contentType: 'application/ofd', magic: ZIP },
  doc: { contentType: 'application/msword', magic: OLE },
  docx: { contentType: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document', magic: ZIP },
  xls: { contentType: 'application/vnd.ms-excel', magic: OLE },
  xlsx: { contentType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', magic: ZIP },
  ppt: { contentType: 'application/vnd.ms-powerpoint', magic: OLE },
  pptx: { contentType: 'application/vnd.openxmlformats-officedocument.presentationml.presentation', magic: ZIP },
  wps: { contentType: 'application/vnd.ms-works', magic: OLE },
  et: { contentType: 'application/vnd.ms-excel', magic: OLE },
  zip: { contentType: 'application/zip', magic: ZIP },
  png: { contentType: 'image/png', magic: [[0x89, 0x50, 0x4e, 0x47]] },
  jpg: { contentType: 'image/jpeg', magic: [[0xff, 0xd8, 0xff]] },
  jpeg: { contentType: 'image/jpeg', magic: [[0xff, 0xd8, 0xff]] },
};

/** The file's type by its name and first bytes, or why it is refused. */
export function attachmentType(name: string, head: Uint8Array): { ok: true; ext: string; contentType: string } | { ok: false; message: string } {
  const ext = /\.([a-z0-9]{1,8})$/i.exec(name)?.[1]?.toLowerCase();
  const type = lookup(ATTACHMENT_TYPES, ext);
  if (!ext || !type) return { ok: false, message: `不支持的附件类型，允许：${Object.keys(ATTACHMENT_TYPES).join('、')}` };
  if (!type.magic.some((m) => m.every((b, i) => head[i] === b))) return { ok: false, message: `文件内容与扩展名 .${ext} 不符` };
  return { ok: true, ext, contentType: type.contentType };
}
