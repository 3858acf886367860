const { NxAppWebpackPlugin } = require('@nx/webpack/app-plugin');
const { basename, join, relative } = require('path');
const { RuntimePackageJsonPlugin } = require('./runtime-package-json');

/**
 * The webpack config every Node app of the workspace shares: `src/main.ts` compiled with tsc (Nest needs decorator
 * metadata), bundled to `dist/<app folder>/main.js`. Workspace libraries are bundled; every npm package stays
 * external and is declared in the generated package.json (see runtime-package-json.js), so the folder plus
 * `npm ci` is the whole app. `runtimeDependencies`: packages the app loads by name at run time, which no import shows.
 */
module.exports = function nodeAppConfig(appDir, { runtimeDependencies = [] } = {}) {
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
        externalDependencies: 'all',
        generatePackageJson: false,
        sourceMap: true,
      }),
      new RuntimePackageJsonPlugin({ root, name: basename(appDir), runtimeDependencies }),
    ],
  };
};
