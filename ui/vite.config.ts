import { defineConfig } from 'vite';
import { svelte } from '@sveltejs/vite-plugin-svelte';

// Tauri serves ui/dist through its own protocol; relative base keeps asset URLs working.
export default defineConfig({
  plugins: [svelte()],
  base: './',
  clearScreen: false,
  build: {
    target: 'safari16', // WebKitGTK 2.50 on Debian 12
    outDir: 'dist',
    emptyOutDir: true,
    sourcemap: false,
  },
});
