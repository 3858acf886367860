module.exports = {
  displayName: 'recording-store',
  preset: '../../jest.preset.js',
  rootDir: __dirname,
  coverageDirectory: '../../coverage/libs/recording-store',
};
