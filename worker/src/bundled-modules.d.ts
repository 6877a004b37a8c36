/** Modules wrangler bundles by file type: wasm compiled at deploy time, the card font as bytes (wrangler.toml rules). */
declare module '*.wasm' {
  const module: WebAssembly.Module;
  export default module;
}
declare module '*.woff' {
  const bytes: ArrayBuffer;
  export default bytes;
}
