import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

const repoRoot = fileURLToPath(new URL('.', import.meta.url));
const devServer = 'http://127.0.0.1:3000';

export default defineConfig({
  root: 'src/web',
  base: '/',
  plugins: [react()],
  // postcss.config.cjs sits at the repo root, above the Vite root: point at it explicitly.
  css: { postcss: repoRoot },
  build: {
    outDir: fileURLToPath(new URL('./dist/web', import.meta.url)),
    emptyOutDir: true,
    // Every browser we support knows modulepreload; no polyfill needed.
    modulePreload: { polyfill: false },
    rollupOptions: {
      output: {
        // Libraries change less often than the app: separate files cache longer.
        manualChunks(id) {
          if (!id.includes('/node_modules/')) return undefined;
          return id.includes('/node_modules/@mantine/') ? 'mantine' : 'vendor';
        },
      },
    },
  },
  server: {
    proxy: {
      '/api': devServer,
      '/healthz': devServer,
    },
  },
});
