module.exports = {
  displayName: 'signaling',
  preset: '../../jest.preset.js',
  rootDir: __dirname,
  coverageDirectory: '../../coverage/apps/signaling',
};
