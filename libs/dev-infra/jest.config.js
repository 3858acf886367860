module.exports = {
  displayName: 'dev-infra',
  preset: '../../jest.preset.js',
  rootDir: __dirname,
  coverageDirectory: '../../coverage/libs/dev-infra',
};
