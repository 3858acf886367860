import Ajv, { type ValidateFunction } from 'ajv';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';

/** A chart's files as text and parsed data, read from disk. */
export interface ChartFiles {
  dir: string;
  chart: Record<string, unknown>;
  valuesText: string;
  values: Record<string, unknown>;
  schema: Record<string, unknown>;
  /** File name (under templates/) to its text. */
  templates: Map<string, string>;
}

export interface SchemaResult {
  valid: boolean;
  errors: string[];
}

export function loadChart(dir: string): ChartFiles {
  const read = (name: string) => readFileSync(join(dir, name), 'utf8');
  const valuesText = read('values.yaml');
  const templates = new Map(readdirSync(join(dir, 'templates')).map((name) => [name, read(join('templates', name))] as const));
  return {
    dir,
    chart: parse(read('Chart.yaml')) as Record<string, unknown>,
    valuesText,
    values: parse(valuesText) as Record<string, unknown>,
    schema: JSON.parse(read('values.schema.json')) as Record<string, unknown>,
    templates,
  };
}

const isTree = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Helm's coalescing of `-f`/`--set` values over the defaults: maps merge, everything else replaces. */
export function mergeValues(base: unknown, override: unknown): unknown {
  if (!isTree(base) || !isTree(override)) return override;
  const merged: Record<string, unknown> = { ...base };
  for (const [key, value] of Object.entries(override)) merged[key] = key in base ? mergeValues(base[key], value) : value;
  return merged;
}

export function compileSchema(schema: Record<string, unknown>): ValidateFunction {
  return new Ajv({ allErrors: true, strict: true, allowUnionTypes: true }).compile(schema);
}

export function validateValues(validate: ValidateFunction, values: unknown): SchemaResult {
  const valid = validate(values);
  const errors = (validate.errors ?? []).map((e) => `${e.instancePath || '/'} ${e.message ?? 'is invalid'}`);
  return { valid, errors };
}
