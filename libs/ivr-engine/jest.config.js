module.exports = {
  displayName: 'ivr-engine',
  preset: '../../jest.preset.js',
  rootDir: __dirname,
  coverageDirectory: '../../coverage/libs/ivr-engine',
};
