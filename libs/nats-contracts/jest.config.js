module.exports = {
  displayName: 'nats-contracts',
  preset: '../../jest.preset.js',
  rootDir: __dirname,
  coverageDirectory: '../../coverage/libs/nats-contracts',
};
