/** A command-line mistake in a benchmark's flags: printed with the usage line, exit code 2. */
export class BenchUsageError extends Error {
  override readonly name = 'BenchUsageError';
}

type KeysWith<T, V> = { [K in keyof T]-?: T[K] extends V ? K : never }[keyof T];

interface Range {
  min: number;
  max: number;
  integer?: boolean;
}

/** How one flag is read: a number, a comma-separated list of numbers, or a switch that takes no value. */
export type FlagRule<T> =
  | ({ kind: 'number'; key: KeysWith<T, number> } & Range)
  | ({ kind: 'numbers'; key: KeysWith<T, readonly number[]> } & Range)
  | { kind: 'switch'; key: KeysWith<T, boolean> };

/**
 * Reads `--flag value` and `--flag=value` over `defaults`; refuses unknown flags, missing values and out-of-range
 * numbers, naming the flag, so a benchmark never runs with a setting nobody asked for.
 */
export function parseFlags<T extends object>(argv: readonly string[], rules: Readonly<Record<string, FlagRule<T>>>, defaults: T, usage: string): T {
  const options: Record<string, unknown> = { ...(defaults as Record<string, unknown>) };
  for (let i = 0; i < argv.length; i++) {
    const [flag, inline] = argv[i].split(/=(.*)/s, 2);
    const rule = Object.hasOwn(rules, flag) ? rules[flag] : undefined;
    if (!rule) throw new BenchUsageError(`unknown argument "${argv[i]}"\n${usage}`);
    if (rule.kind === 'switch') {
      if (inline !== undefined) throw new BenchUsageError(`${flag} takes no value\n${usage}`);
      options[rule.key as string] = true;
      continue;
    }
    const raw = inline ?? argv[++i];
    if (raw === undefined) throw new BenchUsageError(`${flag} needs a value\n${usage}`);
    options[rule.key as string] = rule.kind === 'number' ? numberOf(flag, raw, rule.kind, rule, raw) : raw.split(',').map((part) => numberOf(flag, part, rule.kind, rule, raw));
  }
  return options as T;
}

function numberOf(flag: string, text: string, kind: 'number' | 'numbers', rule: Range, whole: string): number {
  const value = Number(text);
  if (text.trim() === '' || !Number.isFinite(value) || (rule.integer && !Number.isInteger(value)) || value < rule.min || value > rule.max) {
    const noun = rule.integer ? 'integer' : 'number';
    const what = kind === 'numbers' ? `a comma-separated list of ${noun}s` : `${rule.integer ? 'an' : 'a'} ${noun}`;
    throw new BenchUsageError(`${flag} must be ${what} from ${rule.min} to ${rule.max}, got "${whole}"`);
  }
  return value;
}
