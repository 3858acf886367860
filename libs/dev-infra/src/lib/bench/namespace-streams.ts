import type { NatsConnection } from 'nats';

/**
 * Deletes every stream named after `namespace` — KV and object-store buckets are streams too (KV_…, OBJ_…) — so
 * whatever a service adds later goes as well, not only the names a contracts list knows. Returns the names deleted.
 */
export async function removeNamespaceStreams(nc: NatsConnection, namespace: string): Promise<string[]> {
  if (namespace === '') throw new Error('removeNamespaceStreams needs a namespace: the empty one is the live platform');
  const jsm = await nc.jetstreamManager();
  const prefix = `${namespace.replace(/-/g, '_')}_`.toLowerCase();
  const ours: string[] = [];
  for await (const info of jsm.streams.list()) {
    if (info.config.name.toLowerCase().replace(/^(kv|obj)_/, '').startsWith(prefix)) ours.push(info.config.name);
  }
  for (const stream of ours) await jsm.streams.delete(stream);
  return ours;
}
