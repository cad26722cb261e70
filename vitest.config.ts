import { defineConfig } from 'vitest/config';

/**
 * Line coverage floors, per folder, at the level measured when they were set
 * (2026-12-05: adapters 95.3, cli 95.2, connections 96.9, core 98.6, jira 98.4,
 * servicenow 97.2, testing 95.2, tickets 98.3, all 96.9) less about one point
 * for noise. scripts/test.mjs turns them off when PostgreSQL or RabbitMQ is
 * down, since their suites then do not run.
 */
const thresholds = {
  lines: 95,
  'src/adapters/**': { lines: 94 },
  'src/cli/**': { lines: 94 },
  'src/connections/**': { lines: 95 },
  'src/core/**': { lines: 97 },
  'src/jira/**': { lines: 97 },
  'src/servicenow/**': { lines: 96 },
  'src/testing/**': { lines: 94 },
  'src/tickets/**': { lines: 97 },
};

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    environment: 'node',
    testTimeout: 20_000,
    hookTimeout: 30_000,
    // `npm test` (the whole suite) turns coverage on; a targeted run does not, so the floors apply to the whole.
    coverage: {
      provider: 'v8',
      include: ['src/**/*.ts'],
      reporter: ['text-summary', 'json-summary'],
      reportsDirectory: 'coverage',
      ...(process.env['ITSMKIT_COVERAGE_FLOORS'] === 'off' ? {} : { thresholds }),
    },
  },
});
