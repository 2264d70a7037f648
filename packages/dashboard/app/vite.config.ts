import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

// The SPA is served by the Vigil server at /dashboard/, its files under /dashboard/assets/.
export default defineConfig({
  root: new URL('.', import.meta.url).pathname,
  base: '/dashboard/',
  plugins: [react()],
  build: { outDir: new URL('../app-dist/', import.meta.url).pathname, emptyOutDir: true, sourcemap: false },
  logLevel: 'warn',
});
