// Builds the console into static files that crates/iz-console embeds in the iz binary.
// `npm run build -- --outDir DIR` is what that crate's build script runs.
import { defineConfig } from 'vite';

export default defineConfig({
  oxc: { jsx: { runtime: 'automatic', importSource: 'preact' } },
  build: {
    target: 'es2022',
    // Every asset is a file: the console's Content-Security-Policy allows no data: URLs.
    assetsInlineLimit: 0,
    sourcemap: false,
    chunkSizeWarningLimit: 300,
  },
  server: {
    // `npx vite` against a running `iz serve` on :8080, for working on the console.
    proxy: { '/v1': 'http://127.0.0.1:8080', '/geo': 'http://127.0.0.1:8080' },
  },
});
