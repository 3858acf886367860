const { NxAppWebpackPlugin } = require('@nx/webpack/app-plugin');
const { join, relative } = require('path');

/**
 * The webpack config every Node app of the workspace shares: `src/main.ts` compiled with tsc (Nest needs decorator
 * metadata), bundled to `dist/<app folder>/main.js` with a generated package.json of the app's own dependencies.
 */
module.exports = function nodeAppConfig(appDir) {
  const root = join(__dirname, '..', '..');
  return {
    output: { path: join(root, 'dist', relative(root, appDir)) },
    devtool: 'source-map',
    plugins: [
      new NxAppWebpackPlugin({
        target: 'node',
        compiler: 'tsc',
        main: './src/main.ts',
        tsConfig: './tsconfig.app.json',
        optimization: false,
        outputHashing: 'none',
        generatePackageJson: true,
        sourceMap: true,
      }),
    ],
  };
};
