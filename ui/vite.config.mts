// Builds the React UI (ui/src) into ui/dist, which the service serves at /. No React plugin: Vite's esbuild
// compiles JSX with the automatic runtime. The UI imports the browser-safe form library from ../src/forms and
// JSON Schemas from ../schemas, so client and server validate with one ajv configuration.
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

const uiRoot = fileURLToPath(new URL('.', import.meta.url));
const projectRoot = fileURLToPath(new URL('..', import.meta.url));

export default defineConfig({
  root: uiRoot,
  base: '/',
  esbuild: { jsx: 'automatic' },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    // the service's CSP is script-src 'self': no inline module preload polyfill
    modulePreload: { polyfill: false },
    chunkSizeWarningLimit: 1500,
    rollupOptions: {
      onwarn(warning, warn) {
        // rjsf marks some hooks "use client" for React Server Components; meaningless in this SPA bundle
        if (warning.code === 'MODULE_LEVEL_DIRECTIVE' && warning.message.includes('use client')) return;
        warn(warning);
      },
    },
  },
  server: {
    fs: { allow: [projectRoot] },
    proxy: { '/api': 'http://localhost:3000' },
  },
});
