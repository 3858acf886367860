import type { NatsConnection } from 'nats';
import type { Logger } from 'pino';
import { failure, invalidRequest, isApiFailure } from '@switchboard/api-auth';
import { Responder } from '@switchboard/jetstream';
import { complianceCommandSchemas, type ComplianceAction, type ComplianceNames, type ComplianceReply } from '@switchboard/nats-contracts';
import type { z } from 'zod';

/** NATS queue group: each request reaches one replica of the service. */
export const COMPLIANCE_QUEUE = 'recording-compliance';

export type ComplianceHandlers = { [K in ComplianceAction]?: (request: z.output<(typeof complianceCommandSchemas)[K]>) => Promise<unknown> };

/**
 * `<namespace>.compliance.v1.commands.<action>` on the shared responder: the payload checked against the action's
 * schema, a refusal answered in the platform's one shape `{ok: false, status, code, message}`.
 */
export class ComplianceResponders {
  private readonly responders: Array<{ start(): void; stop(): Promise<void> }>;

  constructor(nc: NatsConnection, names: ComplianceNames, handlers: ComplianceHandlers, logger: Logger) {
    this.responders = (Object.keys(handlers) as ComplianceAction[]).map((action) => {
      const handle = handlers[action] as (request: unknown) => Promise<unknown>;
      return new Responder(nc, {
        subject: names.commandSubject(action),
        queue: COMPLIANCE_QUEUE,
        schema: complianceCommandSchemas[action] as z.ZodType,
        handle: async (request): Promise<ComplianceReply> => {
          try {
            return { ok: true, result: await handle(request) };
          } catch (error) {
            if (!isApiFailure(error)) throw error;
            return { ok: false, status: error.status, code: error.code, message: error.message };
          }
        },
        refuse: (problem): ComplianceReply => {
          const refusal = problem.kind === 'not-json' ? failure(400, 'InvalidRequest', 'invalid payload: not JSON') : invalidRequest(problem.error, 'payload');
          return { ok: false, status: refusal.status, code: refusal.code, message: refusal.message };
        },
        log: (level, msg, fields) => logger[level]({ action, ...fields }, msg),
      });
    });
  }

  start(): void {
    for (const responder of this.responders) responder.start();
  }

  async stop(): Promise<void> {
    await Promise.all(this.responders.map((r) => r.stop()));
  }
}
