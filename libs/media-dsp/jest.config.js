module.exports = {
  displayName: 'media-dsp',
  preset: '../../jest.preset.js',
  rootDir: __dirname,
  coverageDirectory: '../../coverage/libs/media-dsp',
};
