/** The cross-language test: the built media bridge (.NET, fake media platform) against this media service. */
module.exports = {
  displayName: 'media-e2e',
  preset: '../../jest.preset.js',
  rootDir: __dirname,
  testMatch: ['<rootDir>/test/**/*.e2e.ts'],
  maxWorkers: 1,
  testTimeout: 90_000,
};
