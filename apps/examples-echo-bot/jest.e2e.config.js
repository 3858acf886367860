/** The echo bot against a running media service (started from source) with a gRPC client in the platform's role. */
module.exports = {
  displayName: 'examples-echo-bot-e2e',
  preset: '../../jest.preset.js',
  rootDir: __dirname,
  testMatch: ['<rootDir>/test/**/*.e2e.ts'],
  maxWorkers: 1,
  testTimeout: 60_000,
};
