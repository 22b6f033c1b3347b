// The playground's build: Vite, with `optimix` taken from this repository's src/ (its browser twins of src/host), so
// the playground always shows the code beside it. `npm run playground` serves it; `npm run playground:build` writes
// a static site to playground/dist/ (relative URLs: any static server can host it, in any folder).
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

const src = fileURLToPath(new URL('../src/', import.meta.url));

export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  base: './',
  resolve: {
    alias: [
      { find: /^optimix$/, replacement: `${src}index.ts` },
      { find: /^optimix\/(laws|data|models|flatness|plot)$/, replacement: `${src}$1/index.ts` },
      { find: /^#host\/(.*)$/, replacement: `${src}host/$1.browser.ts` },
    ],
  },
  worker: { format: 'es' },
  build: { outDir: 'dist', emptyOutDir: true, target: 'es2022', chunkSizeWarningLimit: 4096 },
  server: { fs: { allow: [fileURLToPath(new URL('..', import.meta.url))] } },
});
