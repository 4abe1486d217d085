import path from 'node:path';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  resolve: { alias: { '@': path.resolve(import.meta.dirname, 'web') } },
  test: {
    environment: 'node',
    include: [
      'client/**/*.test.ts',
      'server/**/*.test.ts',
      'emulator/**/*.test.ts',
      'test/**/*.test.ts',
      'web/**/*.test.ts',
      'scripts/**/*.test.ts',
    ],
    globalSetup: ['test/global-setup.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    // Two cores: more workers only thrash. Each file still gets its own database.
    maxWorkers: 2,
    reporters: ['default'],
  },
});
