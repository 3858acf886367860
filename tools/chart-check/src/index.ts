export { checkValuesDocumented, hasPath, leafPaths, type ValuesDocReport } from './lib/values-docs';
export { compileSchema, loadChart, mergeValues, validateValues, type ChartFiles, type SchemaResult } from './lib/chart-values';
export { helm, helmBinary, lintChart, parseManifests, renderChart, stagedChartDir, templateChart, type HelmResult, type K8sObject } from './lib/helm';
export { validateObjects, type SchemaViolation } from './lib/k8s-schema';
export { Rendered, container, selects } from './lib/rendered';
export { CHART_DIR, DOCKER_DIR, WORKSPACE_ROOT } from './lib/paths';
export { renderValuesTable } from './lib/values-table';
export { declaredEnvNames } from './lib/env-names';
