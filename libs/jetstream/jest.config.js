module.exports = {
  displayName: 'jetstream',
  preset: '../../jest.preset.js',
  rootDir: __dirname,
  coverageDirectory: '../../coverage/libs/jetstream',
};
