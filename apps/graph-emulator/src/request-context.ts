import type { IncomingMessage, ServerResponse } from 'node:http';

/** What every route handler gets: the raw exchange plus the parsed URL. */
export interface RequestContext {
  req: IncomingMessage;
  res: ServerResponse;
  url: URL;
}
