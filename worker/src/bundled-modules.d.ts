/** Modules wrangler bundles by file type: wasm compiled at deploy time, the card font as bytes (wrangler.toml rules). */
declare module '*.wasm' {
  const module: WebAssembly.Module;
  export default module;
}
declare module '*.woff' {
  const bytes: ArrayBuffer;
  export default bytes;
}
/** Browser scripts built by esbuild and bundled as text (wrangler.toml rule `Text`): the admin script. */
declare module '*.client.js' {
  const text: string;
  export default text;
}
/** Documents served by the Worker (wrangler.toml rule `Text`): the open-data interface standard. */
declare module '*.md' {
  const text: string;
  export default text;
}
