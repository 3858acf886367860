const { isBuiltin } = require('module');
const { readFileSync } = require('fs');
const { join } = require('path');

const PLUGIN = 'RuntimePackageJson';

/** `@scope/name/sub/path` → `@scope/name`; `name/sub` → `name`. */
function packageName(request) {
  const parts = request.split('/');
  return request.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0];
}

/**
 * Writes the bundle's `package.json` and `package-lock.json`: exactly the npm packages the bundle requires at run
 * time, at the versions the workspace's root `package.json` pins, so `npm ci` next to `main.js` (what an image does)
 * installs what the app loads and nothing else.
 *
 * The rule: every npm package stays external (never bundled), and the list comes from the externals webpack actually
 * emitted, not from the project graph: the graph cannot see imports in generated code (the media proto, which is not
 * committed) and lists packages a library names but this app never loads. Packages loaded by name at run time, which
 * no import shows, go in `runtimeDependencies`. A runtime package that the root `package.json` lists only under
 * `devDependencies` (or not at all) fails the build.
 */
class RuntimePackageJsonPlugin {
  constructor({ root, name, runtimeDependencies = [] }) {
    this.root = root;
    this.name = name;
    this.runtimeDependencies = runtimeDependencies;
  }

  apply(compiler) {
    const { ExternalModule, WebpackError, Compilation, sources } = compiler.webpack;
    compiler.hooks.thisCompilation.tap(PLUGIN, (compilation) => {
      compilation.hooks.processAssets.tap({ name: PLUGIN, stage: Compilation.PROCESS_ASSETS_STAGE_ADDITIONAL }, () => {
        const required = new Set(this.runtimeDependencies);
        for (const module of compilation.modules) {
          if (!(module instanceof ExternalModule)) continue;
          const request = Array.isArray(module.request) ? module.request[0] : module.request;
          if (typeof request === 'string' && !isBuiltin(request)) required.add(packageName(request));
        }
        const rootPackage = JSON.parse(readFileSync(join(this.root, 'package.json'), 'utf8'));
        const dependencies = {};
        for (const name of [...required].sort()) {
          const version = rootPackage.dependencies?.[name];
          if (version) dependencies[name] = version;
          else
            compilation.errors.push(
              new WebpackError(
                `${this.name} loads ${name} at run time, but the root package.json does not list it under dependencies` +
                  (rootPackage.devDependencies?.[name] ? ' (only under devDependencies)' : ''),
              ),
            );
        }
        const packageJson = { name: this.name, version: rootPackage.version, private: true, main: 'main.js', dependencies };
        compilation.emitAsset('package.json', new sources.RawSource(`${JSON.stringify(packageJson, null, 2)}\n`));
        compilation.emitAsset('package-lock.json', new sources.RawSource(lockFile(packageJson)));
      });
    });
  }
}

/** The root lock file pruned to the bundle's dependencies (Nx's own pruning, as its `generatePackageJson` does). */
function lockFile(packageJson) {
  const { createLockFile } = require('@nx/js');
  const { readCachedProjectGraph } = require('@nx/devkit');
  return createLockFile(packageJson, readCachedProjectGraph(), 'npm');
}

module.exports = { RuntimePackageJsonPlugin };
