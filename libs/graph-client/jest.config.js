module.exports = {
  displayName: 'graph-client',
  preset: '../../jest.preset.js',
  rootDir: __dirname,
  coverageDirectory: '../../coverage/libs/graph-client',
};
