module.exports = {
  displayName: 'api-auth',
  preset: '../../jest.preset.js',
  rootDir: __dirname,
  coverageDirectory: '../../coverage/libs/api-auth',
};
