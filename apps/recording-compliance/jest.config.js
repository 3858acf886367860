module.exports = {
  displayName: 'recording-compliance',
  preset: '../../jest.preset.js',
  rootDir: __dirname,
  coverageDirectory: '../../coverage/apps/recording-compliance',
};
