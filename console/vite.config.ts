/// <reference types="vitest/config" />
import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

// The gateway serves the build at / and the API at /graphql; in development Vite proxies the API.
const gateway = process.env.GONGZHI_GATEWAY ?? 'http://127.0.0.1:8000';

export default defineConfig({
  plugins: [react()],
  server: {
    proxy: { '/graphql': gateway, '/calendar': gateway, '/public': gateway },
  },
  build: {
    chunkSizeWarningLimit: 1200,
  },
  test: {
    environment: 'jsdom',
    globals: true,
    setupFiles: ['./src/test/setup.ts'],
    css: false,
    // Ant Design in jsdom on a shared 2-CPU machine: a form test takes seconds.
    testTimeout: 60_000,
  },
});
