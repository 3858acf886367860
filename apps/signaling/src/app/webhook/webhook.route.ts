import { Injectable, type OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { FastifyInstance } from 'fastify';
import { CallingWebhook } from './calling-webhook';

export const CALLING_WEBHOOK_PATH = '/api/calling';

/**
 * Serves {@link CallingWebhook} from Fastify's `onRequest` stage: the reply is hijacked there, so neither Fastify's
 * body parsing nor Nest's routing, pipes and serialisation run for the platform's busiest route. Under the webhook
 * benchmark those took a quarter of signaling's CPU (Fastify binds an async resource per parsed body), more than
 * authenticating, validating and storing the notification together.
 */
@Injectable()
export class WebhookRoute implements OnModuleInit {
  constructor(
    private readonly adapterHost: HttpAdapterHost,
    private readonly webhook: CallingWebhook,
  ) {}

  onModuleInit(): void {
    const fastify = this.adapterHost.httpAdapter.getInstance<FastifyInstance>();
    fastify.route({
      method: 'POST',
      url: CALLING_WEBHOOK_PATH,
      onRequest: (request, reply) => {
        reply.hijack();
        void this.webhook.handle(request.raw, reply.raw);
      },
      // Never reached: the reply is hijacked in onRequest.
      handler: async () => undefined,
    });
  }
}
