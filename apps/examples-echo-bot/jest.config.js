module.exports = {
  displayName: 'examples-echo-bot',
  preset: '../../jest.preset.js',
  rootDir: __dirname,
  coverageDirectory: '../../coverage/apps/examples-echo-bot',
};
