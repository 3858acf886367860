import { Controller, Get, Inject, Req, Res } from '@nestjs/common';
import { bearerChallenge, failureBody, isApiFailure, queryParameters, requestHeader, type ApiAuthenticator, type RestReply, type RestRequest } from '@switchboard/api-auth';
import type { Logger } from 'pino';
import { LOGGER } from '@switchboard/service-kit';
import { auditAnswer } from '../audit/audit-api';
import type { AuditTrail } from '../audit/audit-trail';
import type { RecordingsApi } from '../recordings/recordings-api';
import { API_AUTHENTICATOR, AUDIT_TRAIL, RECORDINGS_API } from '../tokens';

interface Answer {
  status: number;
  contentType: string;
  body: string | Buffer;
  headers?: Record<string, string>;
}

const json = (body: unknown): Answer => ({ status: 200, contentType: 'application/json', body: JSON.stringify(body) });

/** REST face of the audit trail and the recordings; bearer tokens and refusals as every platform API (libs/api-auth). */
@Controller('v1')
export class ComplianceController {
  constructor(
    @Inject(API_AUTHENTICATOR) private readonly authenticator: ApiAuthenticator | undefined,
    @Inject(AUDIT_TRAIL) private readonly audit: AuditTrail,
    @Inject(RECORDINGS_API) private readonly recordings: RecordingsApi,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  @Get('audit')
  auditTrail(@Req() request: RestRequest, @Res() reply: RestReply): Promise<void> {
    return this.answer(request, reply, (authorization) => auditAnswer(this.authenticator, this.audit, { authorization, query: queryParameters(request) }));
  }

  @Get('recordings')
  listRecordings(@Req() request: RestRequest, @Res() reply: RestReply): Promise<void> {
    return this.answer(request, reply, async (authorization) => json(await this.recordings.list(authorization, queryParameters(request))));
  }

  @Get('recordings/:recordingId')
  async download(@Req() request: RestRequest, @Res() reply: RestReply): Promise<void> {
    return this.answer(request, reply, async (authorization) => {
      const { metadata, content } = await this.recordings.download(authorization, request.params['recordingId'] ?? '');
      return { status: 200, contentType: metadata.contentType, body: content, headers: { 'x-content-sha256': metadata.sha256, 'x-call-id': metadata.callId } };
    });
  }

  private async answer(request: RestRequest, reply: RestReply, work: (authorization: string | undefined) => Promise<Answer>): Promise<void> {
    const authorization = requestHeader(request, 'authorization');
    try {
      const answer = await work(authorization);
      reply.status(answer.status).headers({ 'content-type': answer.contentType, ...answer.headers }).send(answer.body);
    } catch (error) {
      if (!isApiFailure(error)) {
        this.logger.error({ err: error }, 'compliance API request failed');
        reply.status(500).send(failureBody({ status: 500, code: 'InternalError', message: 'the request could not be carried out; see the service log' }));
        return;
      }
      const headers: Record<string, string> = error.status === 401 ? { 'www-authenticate': bearerChallenge(error, authorization) } : {};
      reply.status(error.status).headers(headers).send(failureBody(error));
    }
  }
}
