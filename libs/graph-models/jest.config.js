module.exports = {
  displayName: 'graph-models',
  preset: '../../jest.preset.js',
  rootDir: __dirname,
  coverageDirectory: '../../coverage/libs/graph-models',
};
