import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['tests/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
    // Checks once whether PostgreSQL is reachable for the store's second engine (tests/store/pg.ts).
    globalSetup: ['tests/store/pg-global-setup.ts'],
  },
});
