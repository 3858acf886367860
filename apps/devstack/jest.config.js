module.exports = {
  displayName: 'devstack',
  preset: '../../jest.preset.js',
  rootDir: __dirname,
  coverageDirectory: '../../coverage/apps/devstack',
};
