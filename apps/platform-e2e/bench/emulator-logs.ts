import type { Emulator } from '@switchboard/dev-infra';

/** One notification the emulator sent the bot (`GET /emulator/notifications`); `at` is when it was sent. */
export interface NotificationEntry {
  seq: number;
  at: string;
  callId: string;
  changeType: string;
  resourceUrl: string;
  body: unknown;
}

/** One Graph request the emulator received (`GET /emulator/requests`); `at` is when it was answered. */
export interface GraphRequestEntry {
  seq: number;
  at: string;
  method: string;
  path: string;
  status: number;
  callId: string | null;
}

interface Page<T> {
  items: T[];
  next: number;
}

/**
 * Reads the emulator's notification and request logs from where the last read stopped. The emulator keeps a bounded
 * log; a read that finds the next entry already gone fails rather than measure a partial phase.
 */
export class EmulatorLogReader {
  private cursors = { notifications: 0, requests: 0 };

  constructor(private readonly emulator: Emulator) {}

  async read(): Promise<{ notifications: NotificationEntry[]; requests: GraphRequestEntry[] }> {
    return { notifications: await this.page<NotificationEntry>('notifications'), requests: await this.page<GraphRequestEntry>('requests') };
  }

  private async page<T extends { seq: number }>(log: 'notifications' | 'requests'): Promise<T[]> {
    const since = this.cursors[log];
    const url = `${this.emulator.baseUrl}/emulator/${log}?since=${since}`;
    const res = await this.emulator.http.send<Page<T>>('GET', url);
    if (res.status !== 200) throw new Error(`GET ${url} answered ${res.status}: ${JSON.stringify(res.body)}`);
    const { items, next } = res.body;
    if (items.length > 0 && items[0].seq > since + 1) {
      throw new Error(`the emulator's ${log} log dropped entries ${since + 1}–${items[0].seq - 1} before they were read: offer fewer calls per phase`);
    }
    this.cursors[log] = next;
    return items;
  }
}
