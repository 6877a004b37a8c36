/**
 * Font subsetting with HarfBuzz's hb-subset (the wasm build harfbuzzjs ships, which has no imports): a 5 MB
 * CJK font cut down to the characters a card shows. The same code as subset-font, minus its file reads and
 * runtime compilation, so it runs in Node and in workerd from an already compiled WebAssembly.Module.
 */
interface HbSubset {
  memory: WebAssembly.Memory;
  malloc(n: number): number;
  free(p: number): void;
  hb_blob_create(data: number, length: number, mode: number, user: number, destroy: number): number;
  hb_blob_destroy(b: number): void;
  hb_blob_get_length(b: number): number;
  hb_blob_get_data(b: number, len: number): number;
  hb_face_create(blob: number, index: number): number;
  hb_face_destroy(f: number): void;
  hb_face_reference_blob(f: number): number;
  hb_set_add(s: number, cp: number): void;
  hb_subset_input_create_or_fail(): number;
  hb_subset_input_destroy(i: number): void;
  hb_subset_input_unicode_set(i: number): number;
  hb_subset_input_set_flags(i: number, flags: number): void;
  hb_subset_or_fail(face: number, input: number): number;
  _initialize(): void;
}

const HB_MEMORY_MODE_WRITABLE = 2;
const HB_SUBSET_FLAGS_NO_HINTING = 0x1; // hinting is for small sizes on screens; cards are 40–60 px

export class Subsetter {
  private readonly hb: HbSubset;
  private face = 0;
  private blob = 0;
  private fontPtr = 0;
  constructor(module: WebAssembly.Module, font: Uint8Array) {
    this.hb = new WebAssembly.Instance(module, {}).exports as unknown as HbSubset;
    this.hb._initialize();
    this.fontPtr = this.hb.malloc(font.byteLength);
    new Uint8Array(this.hb.memory.buffer).set(font, this.fontPtr);
    this.blob = this.hb.hb_blob_create(this.fontPtr, font.byteLength, HB_MEMORY_MODE_WRITABLE, 0, 0);
    this.face = this.hb.hb_face_create(this.blob, 0);
  }

  /** The font cut down to `text`'s characters (and .notdef); null if HarfBuzz fails. */
  subset(text: string): Uint8Array | null {
    const hb = this.hb;
    const input = hb.hb_subset_input_create_or_fail();
    if (!input) return null;
    try {
      const unicodes = hb.hb_subset_input_unicode_set(input);
      for (const ch of new Set(text)) hb.hb_set_add(unicodes, ch.codePointAt(0)!);
      hb.hb_subset_input_set_flags(input, HB_SUBSET_FLAGS_NO_HINTING);
      const sub = hb.hb_subset_or_fail(this.face, input);
      if (!sub) return null;
      const blob = hb.hb_face_reference_blob(sub);
      const ptr = hb.hb_blob_get_data(blob, 0);
      const out = new Uint8Array(hb.memory.buffer, ptr, hb.hb_blob_get_length(blob)).slice();
      hb.hb_blob_destroy(blob);
      hb.hb_face_destroy(sub);
      return out.byteLength > 0 ? out : null;
    } finally {
      hb.hb_subset_input_destroy(input);
    }
  }
}
