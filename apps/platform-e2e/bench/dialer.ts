import { paceOpenLoop, waitUntil, type Emulator } from '@switchboard/dev-infra';

/** What the simulated caller does once the bot has answered: stay on for `holdMs`, then hang up. */
export const callerScript = (holdMs: number) => [{ wait: holdMs }, { hangup: true }];

export interface DialResult {
  offered: number;
  callIds: string[];
  /** Creation requests that failed, by status or error. */
  errors: Record<string, number>;
}

/** Open loop: asks the emulator for `rate` incoming calls per second for `seconds`, whatever the bot does with them. */
export async function dialCalls(emulator: Emulator, rate: number, seconds: number, holdMs: number): Promise<DialResult> {
  const callIds: string[] = [];
  const errors: Record<string, number> = {};
  const url = `${emulator.baseUrl}/emulator/calls/incoming`;
  const body = { caller: { displayName: 'Benchmark Caller' }, script: callerScript(holdMs) };
  const offered = await paceOpenLoop(rate, seconds, async () => {
    try {
      const res = await emulator.http.send<{ callId: string }>('POST', url, body);
      if (res.status === 201) callIds.push(res.body.callId);
      else errors[String(res.status)] = (errors[String(res.status)] ?? 0) + 1;
    } catch (error) {
      const kind = (error as { code?: string }).code ?? (error as Error).name;
      errors[kind] = (errors[kind] ?? 0) + 1;
    }
  });
  return { offered, callIds, errors };
}

/**
 * Waits until the emulator reports every call terminated, or `timeoutMs` passes (calls still up then count as
 * failures, not as an error of the run).
 */
export async function waitForCallsToEnd(emulator: Emulator, callIds: readonly string[], timeoutMs: number): Promise<void> {
  const waiting = new Set(callIds.map((id) => id.toLowerCase()));
  await waitUntil(async () => {
    const res = await emulator.http.send<{ value: { id: string; state: string }[] }>('GET', `${emulator.baseUrl}/emulator/calls`);
    if (res.status !== 200) throw new Error(`GET /emulator/calls answered ${res.status}`);
    for (const call of res.body.value) if (call.state === 'terminated') waiting.delete(call.id.toLowerCase());
    return waiting.size === 0;
  }, `${waiting.size} calls to end`, timeoutMs, 250).catch(() => undefined);
}
