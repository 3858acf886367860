import type { CallRecord } from '../orchestration/call-record';
import type { InputScheduler } from '../orchestration/ports';
import { NoMediaPodAvailable, type MediaPlacement } from './media-placer';

/** What the place-media effect needs of placement (the {@link MediaPlacer}). */
export interface CallMediaPlacer {
  place(mediaCallId: string, tenantId: string, options?: { group?: boolean }): Promise<MediaPlacement>;
}

/**
 * Places an incoming call's media and reports the outcome as an input, so the reducer records the pod and decides
 * the answer (or the refusal) once. The input's request id is fixed per call, so when a replica that died after
 * PrepareCall is taken over, the repeat's report is dropped as a duplicate and the first pod stays the call's;
 * a slot prepared by the repeat on another pod is freed by that pod when no stream opens.
 * Reading the pods bucket failing is transient and thrown (the effect is retried); pods refusing is an outcome.
 */
export async function placeCallMedia(placer: CallMediaPlacer | undefined, inputs: InputScheduler, record: Pick<CallRecord, 'callId' | 'tenantId'>): Promise<void> {
  const { callId, tenantId } = record;
  try {
    if (!placer) throw new NoMediaPodAvailable('app-hosted media is not configured on this deployment');
    const placement = await placer.place(callId, tenantId);
    await inputs.schedule(callId, { kind: 'media-placed', requestId: 'media-placed', ...placement });
  } catch (error) {
    if (!(error instanceof NoMediaPodAvailable)) throw error;
    // Same request id as a success: whichever outcome is reported first is the call's.
    await inputs.schedule(callId, { kind: 'media-placement-failed', requestId: 'media-placed', reason: error.message });
  }
}
