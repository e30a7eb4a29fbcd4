import { fileURLToPath } from 'node:url';
import vue from '@vitejs/plugin-vue';
import { defineConfig } from 'vite';
import { precompress } from './precompress.js';

const root = fileURLToPath(new URL('.', import.meta.url));

// `npm run dev:web` proxies the API to a server on :3000 (`npm run dev`).
export default defineConfig({
  root,
  base: '/',
  plugins: [vue(), precompress()],
  build: { outDir: 'dist', emptyOutDir: true, target: 'es2022', sourcemap: true },
  server: { proxy: { '/api': 'http://localhost:3000' } },
});
