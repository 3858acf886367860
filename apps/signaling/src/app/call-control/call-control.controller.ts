import { Controller, Delete, Get, Inject, Post, Req, Res } from '@nestjs/common';
import type { CallCommandAction } from '@switchboard/nats-contracts';
import { requestHeader, type ApiHttpReply, type ApiHttpRequest } from '@switchboard/api-auth';
import { CallControlApi } from './call-control-api';
import { buildOpenApiDocument } from './openapi';

type HttpRequest = Pick<ApiHttpRequest, 'headers' | 'params' | 'body'>;
type HttpReply = ApiHttpReply;
const header = requestHeader;

/** REST face of the call-control API: every route hands its request to {@link CallControlApi}. Paths follow api-routes.ts. */
@Controller('v1')
export class CallControlController {
  private readonly openApi = buildOpenApiDocument();

  constructor(@Inject(CallControlApi) private readonly api: CallControlApi) {}

  @Get('openapi.json')
  document(): Record<string, unknown> {
    return this.openApi;
  }

  @Post('calls') place(@Req() q: HttpRequest, @Res() r: HttpReply) { return this.handle('place', q, r); }
  @Get('calls/:callId') get(@Req() q: HttpRequest, @Res() r: HttpReply) { return this.handle('get', q, r); }
  @Get('calls/:callId/history') history(@Req() q: HttpRequest, @Res() r: HttpReply) { return this.handle('history', q, r); }
  @Delete('calls/:callId') hangUp(@Req() q: HttpRequest, @Res() r: HttpReply) { return this.handle('hang-up', q, r); }
  @Post('calls/:callId/answer') answer(@Req() q: HttpRequest, @Res() r: HttpReply) { return this.handle('answer', q, r); }
  @Post('calls/:callId/reject') reject(@Req() q: HttpRequest, @Res() r: HttpReply) { return this.handle('reject', q, r); }
  @Post('calls/:callId/redirect') redirect(@Req() q: HttpRequest, @Res() r: HttpReply) { return this.handle('redirect', q, r); }
  @Post('calls/:callId/transfer') transfer(@Req() q: HttpRequest, @Res() r: HttpReply) { return this.handle('transfer', q, r); }
  @Post('calls/:callId/mute') mute(@Req() q: HttpRequest, @Res() r: HttpReply) { return this.handle('mute', q, r); }
  @Post('calls/:callId/unmute') unmute(@Req() q: HttpRequest, @Res() r: HttpReply) { return this.handle('unmute', q, r); }
  @Post('calls/:callId/play-prompt') playPrompt(@Req() q: HttpRequest, @Res() r: HttpReply) { return this.handle('play-prompt', q, r); }
  @Post('calls/:callId/record') record(@Req() q: HttpRequest, @Res() r: HttpReply) { return this.handle('record', q, r); }
  @Post('calls/:callId/send-dtmf') sendDtmf(@Req() q: HttpRequest, @Res() r: HttpReply) { return this.handle('send-dtmf', q, r); }
  @Post('calls/:callId/cancel-media') cancelMedia(@Req() q: HttpRequest, @Res() r: HttpReply) { return this.handle('cancel-media', q, r); }
  @Get('calls/:callId/participants') participants(@Req() q: HttpRequest, @Res() r: HttpReply) { return this.handle('list-participants', q, r); }
  @Post('calls/:callId/participants/invite') invite(@Req() q: HttpRequest, @Res() r: HttpReply) { return this.handle('invite-participants', q, r); }
  @Post('calls/:callId/participants/:participantId/mute') muteParticipant(@Req() q: HttpRequest, @Res() r: HttpReply) { return this.handle('mute-participant', q, r); }
  @Delete('calls/:callId/participants/:participantId') removeParticipant(@Req() q: HttpRequest, @Res() r: HttpReply) { return this.handle('remove-participant', q, r); }
  @Post('calls/:callId/participants/:participantId/hold-music') holdMusic(@Req() q: HttpRequest, @Res() r: HttpReply) { return this.handle('hold-music', q, r); }

  private async handle(action: CallCommandAction, request: HttpRequest, reply: HttpReply): Promise<void> {
    const answer = await this.api.handleHttp(action, {
      authorization: header(request, 'authorization'),
      idempotencyKey: header(request, 'idempotency-key'),
      params: { callId: request.params['callId'], participantId: request.params['participantId'] },
      body: request.body,
    });
    reply.status(answer.status).headers(answer.headers).send(answer.body);
  }
}
