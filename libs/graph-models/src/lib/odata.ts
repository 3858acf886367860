import { z } from 'zod';

/** `@odata.type` values arrive as `#microsoft.graph.x`; comparisons ignore case, as Graph does. */
export const odataType = (name: string) =>
  z.string().refine((t) => t.toLowerCase() === `#microsoft.graph.${name}`.toLowerCase(), {
    message: `expected @odata.type #microsoft.graph.${name}`,
  });

/** Graph ids: dashed GUIDs or 32-hex strings, any case; other opaque ids exist too, so only emptiness is refused. */
export const graphId = z.string().min(1).max(256);

/** Objects from Graph keep unknown properties: new fields must not break parsing. */
export const graphObject = z.looseObject;

/** Int32/Int64 fields: Graph sends numbers, some examples send them as strings (`"200"`); both read as numbers. */
export const odataInt = z.union([z.number().int(), z.string().regex(/^-?\d+$/, 'expected an integer').transform(Number)]);

/**
 * A Graph enum read case-insensitively and normalised to its documented camelCase member: Graph's own examples
 * print `Running`, `Established`, `NotStarted` next to `running`, `established`, `notStarted`. What follows the
 * schema sees only the canonical spelling; a value that is no member, in any case, still fails.
 */
export function graphEnum<const T extends readonly [string, ...string[]]>(values: T) {
  const canonical = new Map(values.map((v) => [v.toLowerCase(), v]));
  return z.preprocess((v) => (typeof v === 'string' ? (canonical.get(v.toLowerCase()) ?? v) : v), z.enum(values));
}
