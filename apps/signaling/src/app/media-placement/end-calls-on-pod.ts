import type { CallRecord } from '../orchestration/call-record';
import type { InputScheduler } from '../orchestration/ports';

/**
 * Tells each live call placed on `pod` that its media is gone; the reducer then publishes `media-lost` and ends
 * the call. Every replica watching the bucket may do this: the input's id (call, pod) makes the repeats one.
 */
export async function endCallsOnPod(calls: { records(): Promise<CallRecord[]> }, inputs: InputScheduler, pod: string, reason: string): Promise<number> {
  let ended = 0;
  for (const record of await calls.records()) {
    if (record.media?.pod !== pod || record.media.lost || record.state === 'terminated') continue;
    await inputs.schedule(record.callId, { kind: 'media-lost', requestId: `media-lost:${pod}`, pod, reason: reason.slice(0, 1000) });
    ended += 1;
  }
  return ended;
}
