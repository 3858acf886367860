/** One line of doctor's report. Only `fail` makes the exit code non-zero. */
export interface Finding {
  check: string;
  status: 'ok' | 'warn' | 'fail' | 'skip';
  detail: string;
  /** How to fix it (for `fail` and `warn`). */
  fix?: string;
}

const tag: Record<Finding['status'], string> = { ok: 'ok  ', warn: 'WARN', fail: 'FAIL', skip: 'skip' };

export function formatFinding(f: Finding): string {
  const lines = [`[${tag[f.status]}] ${f.check}: ${f.detail}`];
  if (f.fix && (f.status === 'fail' || f.status === 'warn')) lines.push(...f.fix.split('\n').map((l, i) => `       ${i === 0 ? 'fix: ' : '     '}${l}`));
  return lines.join('\n');
}

export const ok = (check: string, detail: string): Finding => ({ check, status: 'ok', detail });
export const skip = (check: string, detail: string): Finding => ({ check, status: 'skip', detail });
export const warn = (check: string, detail: string, fix: string): Finding => ({ check, status: 'warn', detail, fix });
export const fail = (check: string, detail: string, fix: string): Finding => ({ check, status: 'fail', detail, fix });

export function errorText(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const cause = (error as { cause?: unknown }).cause;
  const code = (error as { code?: unknown }).code;
  const causeText = cause instanceof Error ? `: ${cause.message}` : '';
  const codeText = typeof code === 'string' && !error.message.includes(code) ? ` (${code})` : '';
  return `${error.message}${causeText}${codeText}`;
}

/** Rejects after `ms` so a silent endpoint fails its check instead of hanging the report. */
export function within<T>(ms: number, what: string, work: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what}: no answer within ${ms} ms`)), ms);
  });
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}
