import { RetentionPolicy, StorageType, nanos, type JetStreamManager, type StreamConfig } from 'nats';
import { JsErrorCode, isJetStreamError } from './api-errors';

export type StreamDefinition = Partial<StreamConfig> & { name: string };
export type Ensured = 'created' | 'updated';

/** Creates the stream, or updates it to this configuration when it exists (decided by the API's error code). */
export async function ensureStream(jsm: JetStreamManager, config: StreamDefinition): Promise<Ensured> {
  try {
    await jsm.streams.info(config.name);
  } catch (error) {
    if (!isJetStreamError(error, JsErrorCode.StreamNotFound)) throw error;
    await jsm.streams.add(config);
    return 'created';
  }
  await jsm.streams.update(config.name, config);
  return 'updated';
}

/** A file-backed stream with limits retention; a duplicate window drops republished message ids. */
export function fileStream(name: string, subjects: string | string[], maxAgeMs: number, duplicateWindowMs?: number): StreamDefinition {
  return {
    name,
    subjects: Array.isArray(subjects) ? subjects : [subjects],
    storage: StorageType.File,
    retention: RetentionPolicy.Limits,
    max_age: nanos(maxAgeMs),
    ...(duplicateWindowMs ? { duplicate_window: nanos(duplicateWindowMs) } : {}),
  };
}
