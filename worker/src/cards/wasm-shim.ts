/**
 * workerd forbids compiling WebAssembly at run time; satori (share cards) does it twice as its module loads:
 * it instantiates HarfBuzz from bytes embedded in its code (the very bytes of harfbuzzjs 0.10.0's hb.wasm), and
 * emscripten's addFunction compiles a 34-byte wrapper module per function signature (only "vi" is used). Both
 * are answered here with modules wrangler compiled at deploy time; anything else goes to the real functions.
 * Imported first by the cards Worker's entry (cards/worker.ts), before anything loads satori.
 * emscripten-vi-wrapper.wasm: the bytes emscripten's convertJsFunctionToWasm generates for "vi", recorded in Node.
 */
import hb from '../../../node_modules/harfbuzzjs/hb.wasm';
import wrapperVi from './emscripten-vi-wrapper.wasm';

const HB_BYTES = 381_964;
const WRAPPER_VI = [0, 97, 115, 109, 1, 0, 0, 0, 1, 135, 0, 1, 96, 129, 0, 127, 128, 0, 2, 7, 1, 1, 101, 1, 102, 0, 0, 7, 5, 1, 1, 102, 0, 0];

const bytesOf = (src: unknown): Uint8Array | null =>
  src instanceof ArrayBuffer ? new Uint8Array(src) : ArrayBuffer.isView(src) ? new Uint8Array(src.buffer, src.byteOffset, src.byteLength) : null;
const isWrapperVi = (b: Uint8Array) => b.byteLength === WRAPPER_VI.length && WRAPPER_VI.every((x, i) => b[i] === x);

const wasm = WebAssembly as unknown as { Module: unknown; instantiate: unknown };
const RealModule = WebAssembly.Module;
const realInstantiate = WebAssembly.instantiate.bind(WebAssembly) as (src: unknown, imports?: WebAssembly.Imports) => Promise<unknown>;

function PrecompiledModule(src: BufferSource): WebAssembly.Module {
  const b = bytesOf(src);
  return b && isWrapperVi(b) ? wrapperVi : new (RealModule as unknown as new (bytes: BufferSource) => WebAssembly.Module)(src);
}
PrecompiledModule.prototype = RealModule.prototype;
wasm.Module = PrecompiledModule;
wasm.instantiate = async (src: unknown, imports?: WebAssembly.Imports) => {
  const b = bytesOf(src);
  if (b && b.byteLength === HB_BYTES) return { module: hb, instance: await WebAssembly.instantiate(hb, imports) };
  return realInstantiate(src, imports);
};

// emscripten reads self.location.href in a worker scope, which workerd does not have.
const g = globalThis as { location?: URL };
g.location ??= new URL('https://cards.invalid/');
