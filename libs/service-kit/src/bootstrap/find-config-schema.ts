import { MODULE_METADATA } from '@nestjs/common/constants';
import { ConfigModule } from '../config/config.module';
import { EnvSchema } from '../config/load-config';

/** Walks a module's imports to find the schema given to `ConfigModule.forRoot()`. */
export function findConfigSchema(root: unknown, seen = new Set<unknown>()): EnvSchema | undefined {
  if (root === null || root === undefined || seen.has(root)) return undefined;
  seen.add(root);
  const own = ConfigModule.schemaOf(root);
  if (own) return own;
  const moduleClass = typeof root === 'function' ? root : (root as { module?: unknown }).module;
  const dynamicImports = typeof root === 'object' ? ((root as { imports?: unknown[] }).imports ?? []) : [];
  const staticImports =
    typeof moduleClass === 'function' ? ((Reflect.getMetadata(MODULE_METADATA.IMPORTS, moduleClass) as unknown[]) ?? []) : [];
  for (const child of [...dynamicImports, ...staticImports]) {
    const found = findConfigSchema(child, seen);
    if (found) return found;
  }
  return undefined;
}
