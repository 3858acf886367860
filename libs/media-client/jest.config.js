module.exports = {
  displayName: 'media-client',
  preset: '../../jest.preset.js',
  rootDir: __dirname,
  coverageDirectory: '../../coverage/libs/media-client',
};
