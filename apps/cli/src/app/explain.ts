import { explainResult } from '@switchboard/graph-models';
import { UsageError } from './io';

function integer(raw: string, what: string): number {
  if (!/^-?\d+$/.test(raw.trim())) throw new UsageError(`${what} must be an integer, got "${raw}"`);
  return Number(raw);
}

/** `explain 408 8537` or `explain 408/8537`: what a call's or operation's resultInfo means and what to do. */
export function explainText(args: string[]): string {
  const parts = args.length === 1 && args[0]?.includes('/') ? args[0].split('/') : args;
  const [codeRaw, subcodeRaw, ...rest] = parts;
  if (codeRaw === undefined || rest.length > 0) throw new UsageError('usage: switchboard explain <code> [subcode]   (e.g. explain 408 8537)');
  const e = explainResult({ code: integer(codeRaw, 'code'), subcode: subcodeRaw === undefined ? undefined : integer(subcodeRaw, 'subcode') });
  return [
    `${e.code}/${e.subcode} (${e.outcome}${e.known ? '' : ', not in the documented table: explained by its code class'})`,
    `cause:  ${e.cause}`,
    `action: ${e.action}`,
  ].join('\n');
}
