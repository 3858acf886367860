module.exports = {
  displayName: 'meeting-join',
  preset: '../../jest.preset.js',
  rootDir: __dirname,
  coverageDirectory: '../../coverage/apps/meeting-join',
};
