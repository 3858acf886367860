import { Controller, Get, Inject, Req, Res } from '@nestjs/common';
import { bearerChallenge, failureBody, isApiFailure, requestHeader, type ApiAuthenticator, type ApiHttpReply, type ApiHttpRequest } from '@switchboard/api-auth';
import type { Logger } from 'pino';
import { LOGGER } from '@switchboard/service-kit';
import { auditAnswer } from '../audit/audit-api';
import type { AuditTrail } from '../audit/audit-trail';
import { API_AUTHENTICATOR, AUDIT_TRAIL } from '../tokens';


/** REST face of the audit trail; bearer tokens and refusals as every platform API (libs/api-auth). */
@Controller('v1')
export class ComplianceController {
  constructor(
    @Inject(API_AUTHENTICATOR) private readonly authenticator: ApiAuthenticator | undefined,
    @Inject(AUDIT_TRAIL) private readonly audit: AuditTrail,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  @Get('audit')
  async auditTrail(@Req() request: ApiHttpRequest, @Res() reply: ApiHttpReply): Promise<void> {
    const authorization = requestHeader(request, 'authorization');
    try {
      const answer = await auditAnswer(this.authenticator, this.audit, { authorization, query: request.query });
      reply.status(answer.status).headers({ 'content-type': answer.contentType }).send(answer.body);
    } catch (error) {
      if (!isApiFailure(error)) {
        this.logger.error({ err: error }, 'audit request failed');
        reply.status(500).send(failureBody({ status: 500, code: 'InternalError', message: 'the request could not be carried out; see the service log' }));
        return;
      }
      const headers: Record<string, string> = error.status === 401 ? { 'www-authenticate': bearerChallenge(error, authorization) } : {};
      reply.status(error.status).headers(headers).send(failureBody(error));
    }
  }
}
