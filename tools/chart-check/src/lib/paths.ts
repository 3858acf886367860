import { resolve } from 'node:path';

/** The workspace root, found from this file (tools/chart-check/src/lib). */
export const WORKSPACE_ROOT = resolve(__dirname, '../../../..');
export const CHART_DIR = resolve(WORKSPACE_ROOT, 'charts/switchboard');
export const DOCKER_DIR = resolve(WORKSPACE_ROOT, 'docker');
