import { Injectable, type OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { FastifyInstance } from 'fastify';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { CallingWebhook } from './calling-webhook';

export const CALLING_WEBHOOK_PATH = '/api/calling';

type RequestListener = (req: IncomingMessage, res: ServerResponse) => void;

/**
 * Serves {@link CallingWebhook}, the platform's busiest route, without Fastify or Nest in the way: neither Fastify's
 * request and reply objects, routing, hooks and body parsing, nor Nest's pipes and serialisation run for it.
 *
 * A POST to the path (with or without a query) is taken from the HTTP server before Fastify's own listener sees it;
 * under the webhook benchmark that raised what a replica takes in from 0.37× to about 0.44× of a bare handler.
 * Everything else goes to Fastify as before, and so do requests that never pass the server (`app.inject()` in
 * tests): for those the route is also declared to Fastify, handing the raw request and response to the same handler
 * from its `onRequest` stage.
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
    this.takeFromServer(this.adapterHost.httpAdapter.getHttpServer() as Server);
  }

  /** Fastify listens for the server's `request` event since it created the server; the webhook goes first. */
  private takeFromServer(server: Server): void {
    const others = server.listeners('request') as RequestListener[];
    server.removeAllListeners('request');
    server.on('request', (req: IncomingMessage, res: ServerResponse) => {
      if (req.method === 'POST' && isWebhookUrl(req.url)) void this.webhook.handle(req, res);
      else for (const listener of others) listener.call(server, req, res);
    });
  }
}

const isWebhookUrl = (url: string | undefined): boolean =>
  url === CALLING_WEBHOOK_PATH || (url !== undefined && url.startsWith(`${CALLING_WEBHOOK_PATH}?`));
