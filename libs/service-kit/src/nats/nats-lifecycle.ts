import { Inject, Injectable, OnApplicationShutdown, OnModuleInit, Optional } from '@nestjs/common';
import type { JetStreamManager, NatsConnection } from 'nats';
import { HealthRegistry } from '../health/health-registry';
import { JETSTREAM_MANAGER, NATS_CONNECTION } from './tokens';

export const NATS_READINESS_CHECK = 'nats';

/** Adds the NATS readiness check and drains the connection when the app shuts down. */
@Injectable()
export class NatsLifecycle implements OnModuleInit, OnApplicationShutdown {
  constructor(
    @Inject(NATS_CONNECTION) private readonly connection: NatsConnection,
    @Inject(JETSTREAM_MANAGER) private readonly jsm: JetStreamManager,
    @Optional() private readonly health?: HealthRegistry,
  ) {}

  onModuleInit(): void {
    this.health?.register(NATS_READINESS_CHECK, () => this.check());
  }

  async check(): Promise<void> {
    if (this.connection.isClosed()) throw new Error('connection closed');
    if (this.connection.isDraining()) throw new Error('connection draining');
    await this.jsm.getAccountInfo();
  }

  async onApplicationShutdown(): Promise<void> {
    this.health?.unregister(NATS_READINESS_CHECK);
    // drain() delivers what is in flight before closing; close() would drop it.
    if (!this.connection.isClosed() && !this.connection.isDraining()) await this.connection.drain();
  }
}
