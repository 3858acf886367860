import { z } from 'zod';
import { type WireResultInfo, resultInfo } from './call-record';

/**
 * `PUT /emulator/recording-status`: how Graph answers the next updateRecordingStatus requests. By default at once,
 * `completed` (contract §3). With `delayMs` the answer is a `running` operation and its final state follows in a
 * notification (contract §1.6); with `fail` the operation ends `failed` with that resultInfo. `count` limits how
 * many requests it applies to; then the default comes back.
 */
export const recordingStatusBehaviourSchema = z.strictObject({
  delayMs: z.number().int().min(0).max(60_000).default(0),
  fail: z
    .strictObject({
      code: z.number().int().min(400).max(599),
      subcode: z.number().int().min(0).default(0),
      message: z.string().min(1).max(500).default('The recording status could not be updated.'),
    })
    .optional(),
  count: z.number().int().min(1).max(10_000).optional(),
});
export type RecordingStatusBehaviourRequest = z.output<typeof recordingStatusBehaviourSchema>;

export interface RecordingStatusAnswer {
  delayMs: number;
  /** Set when the operation is to fail. */
  failure?: WireResultInfo;
}

export class RecordingStatusBehaviour {
  private configured?: RecordingStatusBehaviourRequest & { remaining?: number };

  set(request: RecordingStatusBehaviourRequest): RecordingStatusBehaviourRequest {
    this.configured = { ...request, ...(request.count ? { remaining: request.count } : {}) };
    return request;
  }

  clear(): void {
    this.configured = undefined;
  }

  view(): Record<string, unknown> {
    return this.configured ? { ...this.configured } : { delayMs: 0 };
  }

  /** The answer for one request; consumes one use of a counted behaviour. */
  next(): RecordingStatusAnswer {
    const current = this.configured;
    if (!current) return { delayMs: 0 };
    if (current.remaining !== undefined && --current.remaining <= 0) this.configured = undefined;
    const { fail } = current;
    return { delayMs: current.delayMs, ...(fail ? { failure: resultInfo(fail.code, fail.subcode, fail.message) } : {}) };
  }
}
