import { defineConfig } from 'vitest/config';

/** Unit tests of the web app's plain modules (pages are tested in a browser: e2e/). */
export default defineConfig({
  test: { include: ['src/**/*.test.ts'] },
});
