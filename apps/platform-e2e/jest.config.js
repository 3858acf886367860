module.exports = {
  displayName: 'platform-e2e',
  preset: '../../jest.preset.js',
  rootDir: __dirname,
  testMatch: ['<rootDir>/src/**/*.e2e.ts', '<rootDir>/bench/**/*.spec.ts'],
  // Whole processes start per suite; one suite at a time keeps two cores from thrashing.
  maxWorkers: 1,
  testTimeout: 90_000,
  coverageDirectory: '../../coverage/apps/platform-e2e',
};
