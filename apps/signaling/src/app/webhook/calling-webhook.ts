import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Logger } from 'pino';
import { CallbackAuthError, type CallbackAuthenticator } from '../callback-auth/callback-authenticator';
import { HttpRefusal, readJsonBody, sendJson, sendRefusal } from './json-request';
import { InvalidNotificationBatch, type NotificationIntake } from './notification-intake';
import type { ParticipantJoiningAnswers } from './participant-joining-answers';
import type { WebhookMetrics } from './webhook.metrics';

/**
 * Graph's calling webhook, `POST /api/calling`. Order matters for invariant 1: authenticate, validate, store in
 * JetStream, and only then answer 202. A refused request stores nothing.
 *
 * It works on node:http's request and response (see webhook.route.ts for why it bypasses Nest and Fastify's body
 * parsing); the token is checked before the body is read, so an unauthenticated caller costs no parsing.
 */
export class CallingWebhook {
  constructor(
    private readonly deps: {
      authenticator: Pick<CallbackAuthenticator, 'authenticate'>;
      intake: Pick<NotificationIntake, 'isLegacyActivity' | 'validate' | 'store'>;
      joins: Pick<ParticipantJoiningAnswers, 'answer'>;
      metrics: Pick<WebhookMetrics, 'accepted' | 'refused'>;
      logger: Pick<Logger, 'info' | 'warn' | 'error' | 'debug' | 'isLevelEnabled'>;
      bodyLimitBytes: number;
    },
  ) {}

  /** Never rejects: every outcome is an answer. */
  async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const { authenticator, intake, joins, metrics, logger } = this.deps;
    try {
      const identity = await authenticator.authenticate(req.headers.authorization);
      const body = await readJsonBody(req, this.deps.bodyLimitBytes);
      if (intake.isLegacyActivity(body)) {
        logger.info('legacy Bot Framework activity answered 204, to be resent as a Graph notification');
        sendJson(res, 204);
        return;
      }
      const routed = await joins.answer(intake.validate(body));
      const { stored, duplicates } = await intake.store(routed, identity);
      metrics.accepted(stored, duplicates);
      if (logger.isLevelEnabled('debug')) {
        for (const { callId, notification } of routed) {
          logger.debug({ callId, changeType: notification.changeType, resourceUrl: notification.resourceUrl }, 'notification stored');
        }
      }
      // Graph reads the answer to a participantJoiningNotification from this response's body.
      const answer = routed.find((r) => r.answer)?.answer;
      if (answer) sendJson(res, 200, answer);
      else sendJson(res, 202);
    } catch (error) {
      this.refuse(res, error);
    }
  }

  private refuse(res: ServerResponse, error: unknown): void {
    const { metrics, logger } = this.deps;
    const [status, message] =
      error instanceof CallbackAuthError || error instanceof HttpRefusal
        ? [error.status, error.message]
        : error instanceof InvalidNotificationBatch
          ? [400, error.message]
          : [503, 'notifications could not be stored'];
    metrics.refused(String(status));
    if (error instanceof CallbackAuthError) logger.warn({ status, reason: message }, 'callback refused');
    else if (status === 503) logger.error({ err: error }, 'notifications could not be stored');
    else logger.warn({ status, reason: message }, 'callback body refused');
    // 503 so Graph delivers the batch again; duplicates are dropped by their message id.
    if (!res.headersSent) sendRefusal(res, status, message);
  }
}
