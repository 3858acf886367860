import { Body, Controller, Headers, HttpCode, HttpException, Inject, Post, Res } from '@nestjs/common';
import type { Logger } from 'pino';
import type { ParticipantJoiningResponse } from '@switchboard/graph-models';
import { LOGGER } from '@switchboard/service-kit';
import { CallbackAuthError, CallbackAuthenticator } from '../callback-auth/callback-authenticator';
import { WebhookMetrics } from './webhook.metrics';
import { InvalidNotificationBatch, NotificationIntake } from './notification-intake';
import { ParticipantJoiningAnswers } from './participant-joining-answers';

/**
 * Graph's calling webhook. Order matters for invariant 1: authenticate, validate, store in JetStream, and only
 * then answer 202. A refused request stores nothing.
 */
@Controller('api')
export class WebhookController {
  constructor(
    private readonly authenticator: CallbackAuthenticator,
    private readonly intake: NotificationIntake,
    private readonly joins: ParticipantJoiningAnswers,
    private readonly metrics: WebhookMetrics,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  @Post('calling')
  @HttpCode(202)
  async receive(
    @Headers('authorization') authorization: string | undefined,
    @Body() body: unknown,
    @Res({ passthrough: true }) reply: { status(code: number): unknown },
  ): Promise<ParticipantJoiningResponse | undefined> {
    try {
      const identity = await this.authenticator.authenticate(authorization);
      if (this.intake.isLegacyActivity(body)) {
        this.logger.info('legacy Bot Framework activity answered 204, to be resent as a Graph notification');
        reply.status(204);
        return undefined;
      }
      const routed = await this.joins.answer(this.intake.validate(body));
      const { stored, duplicates } = await this.intake.store(routed, identity);
      this.metrics.accepted(stored, duplicates);
      for (const { callId, notification } of routed) {
        this.logger.debug({ callId, changeType: notification.changeType, resourceUrl: notification.resourceUrl }, 'notification stored');
      }
      // Graph reads the answer to a participantJoiningNotification from this response's body.
      const answer = routed.find((r) => r.answer)?.answer;
      if (answer) reply.status(200);
      return answer;
    } catch (error) {
      throw this.refusal(error);
    }
  }

  private refusal(error: unknown): HttpException {
    if (error instanceof CallbackAuthError) {
      this.metrics.refused(String(error.status));
      this.logger.warn({ status: error.status, reason: error.message }, 'callback refused');
      return new HttpException({ statusCode: error.status, error: 'Unauthorized callback', message: error.message }, error.status);
    }
    if (error instanceof InvalidNotificationBatch) {
      this.metrics.refused('400');
      this.logger.warn({ reason: error.message }, 'callback body refused');
      return new HttpException({ statusCode: 400, error: 'Bad Request', message: error.message }, 400);
    }
    this.metrics.refused('503');
    this.logger.error({ err: error }, 'notifications could not be stored');
    // 503 so Graph delivers the batch again; duplicates are dropped by their message id.
    return new HttpException({ statusCode: 503, error: 'Service Unavailable', message: 'notifications could not be stored' }, 503);
  }
}
