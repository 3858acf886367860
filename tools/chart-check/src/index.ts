export { checkGoTemplateBalance, type TemplateIssue } from './lib/go-template-balance';
export { checkValuesDocumented, hasPath, leafPaths, type ValuesDocReport } from './lib/values-docs';
export { compileSchema, loadChart, mergeValues, validateValues, type ChartFiles, type SchemaResult } from './lib/chart-values';
export { defineBody, definedTemplates, includedTemplates, valuesReferences, yamlSkeleton } from './lib/template-text';
export { instructionsOf, parseDockerfile, type Dockerfile, type Instruction, type Stage } from './lib/dockerfile';
export { CHART_DIR, DOCKER_DIR, WORKSPACE_ROOT } from './lib/paths';
export { renderValuesTable } from './lib/values-table';
export { declaredEnvNames } from './lib/env-names';
