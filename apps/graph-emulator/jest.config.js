module.exports = {
  displayName: 'graph-emulator',
  preset: '../../jest.preset.js',
  rootDir: __dirname,
  coverageDirectory: '../../coverage/apps/graph-emulator',
};
