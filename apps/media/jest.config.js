module.exports = {
  displayName: 'media',
  preset: '../../jest.preset.js',
  rootDir: __dirname,
  coverageDirectory: '../../coverage/apps/media',
};
