#!/usr/bin/env bash
# Creates the skeleton of a workspace project: new-project.sh lib|app <dir> <name> <type> <scope>
set -euo pipefail
kind=$1 dir=$2 name=$3 type=$4 scope=$5
mkdir -p "$dir/src"
rel=$(python3 -c "import os,sys;print(os.path.relpath('.', sys.argv[1]))" "$dir")
if [ "$kind" = lib ]; then
  cat > "$dir/project.json" <<J
{
  "name": "$name",
  "\$schema": "$rel/node_modules/nx/schemas/project-schema.json",
  "sourceRoot": "$dir/src",
  "projectType": "library",
  "tags": ["type:$type", "scope:$scope"],
  "targets": { "lint": {}, "typecheck": {} }
}
J
  [ -f "$dir/src/index.ts" ] || echo "export {};" > "$dir/src/index.ts"
else
  cat > "$dir/project.json" <<J
{
  "name": "$name",
  "\$schema": "$rel/node_modules/nx/schemas/project-schema.json",
  "sourceRoot": "$dir/src",
  "projectType": "application",
  "tags": ["type:$type", "scope:$scope"],
  "targets": { "lint": {}, "typecheck": {} }
}
J
  echo "module.exports = require('$rel/tools/webpack/node-app.config')(__dirname);" > "$dir/webpack.config.js"
  cat > "$dir/tsconfig.app.json" <<J
{
  "extends": "./tsconfig.json",
  "compilerOptions": { "outDir": "$rel/dist/out-tsc", "rootDir": "$rel" },
  "include": ["src/**/*.ts"],
  "exclude": ["src/**/*.spec.ts", "jest.config.js"]
}
J
  [ -f "$dir/src/main.ts" ] || echo "export {};" > "$dir/src/main.ts"
fi
cat > "$dir/tsconfig.json" <<J
{
  "extends": "$rel/tsconfig.base.json",
  "compilerOptions": { "types": ["node", "jest"] },
  "include": ["src/**/*.ts", "test/**/*.ts", "bench/**/*.ts"]
}
J
cat > "$dir/jest.config.js" <<J
module.exports = {
  displayName: '$name',
  preset: '$rel/jest.preset.js',
  rootDir: __dirname,
  coverageDirectory: '$rel/coverage/$dir',
};
J
