module.exports = {
  displayName: 'chart-check',
  preset: '../../jest.preset.js',
  rootDir: __dirname,
  coverageDirectory: '../../coverage/tools/chart-check',
};
