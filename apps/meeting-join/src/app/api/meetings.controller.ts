import { Controller, Delete, Get, Inject, Post, Req, Res } from '@nestjs/common';
import { requestHeader as header, type RestReply as HttpReply, type RestRequest as HttpRequest } from '@switchboard/api-auth';
import { MeetingsApi, type MeetingsAction } from './meetings-api';

/** REST face of meeting-join (an ingress routes `/v1/meetings` and `/v1/online-meetings` here); each route hands its request to {@link MeetingsApi}. */
@Controller('v1')
export class MeetingsController {
  constructor(@Inject(MeetingsApi) private readonly api: MeetingsApi) {}

  @Post('meetings/joins') join(@Req() q: HttpRequest, @Res() r: HttpReply) { return this.handle('join', q, r); }
  @Get('meetings/joins/:id') get(@Req() q: HttpRequest, @Res() r: HttpReply) { return this.handle('get', q, r); }
  @Get('meetings/joins/:id/participants') participants(@Req() q: HttpRequest, @Res() r: HttpReply) { return this.handle('participants', q, r); }
  @Delete('meetings/joins/:id') leave(@Req() q: HttpRequest, @Res() r: HttpReply) { return this.handle('leave', q, r); }
  @Post('online-meetings') createMeeting(@Req() q: HttpRequest, @Res() r: HttpReply) { return this.handle('create-meeting', q, r); }
  @Get('online-meetings') findMeeting(@Req() q: HttpRequest, @Res() r: HttpReply) { return this.handle('find-meeting', q, r); }

  private async handle(action: MeetingsAction, request: HttpRequest, reply: HttpReply): Promise<void> {
    const answer = await this.api.handleHttp(action, {
      authorization: header(request, 'authorization'),
      idempotencyKey: header(request, 'idempotency-key'),
      ...(request.params['id'] !== undefined ? { id: request.params['id'] } : {}),
      body: request.body,
      query: { ...request.query },
    });
    reply.status(answer.status).headers(answer.headers).send(answer.body);
  }
}
