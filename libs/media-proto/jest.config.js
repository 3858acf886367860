module.exports = {
  displayName: 'media-proto',
  preset: '../../jest.preset.js',
  rootDir: __dirname,
  coverageDirectory: '../../coverage/libs/media-proto',
};
