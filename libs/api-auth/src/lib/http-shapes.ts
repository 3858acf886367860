/** The parts of a Fastify request a REST controller of the platform reads. */
export interface ApiHttpRequest {
  headers: Record<string, string | string[] | undefined>;
  params: Record<string, string | undefined>;
  query: Record<string, string | undefined>;
  body: unknown;
}

/** The parts of a Fastify reply a REST controller of the platform uses. */
export interface ApiHttpReply {
  status(code: number): ApiHttpReply;
  headers(values: Record<string, string>): ApiHttpReply;
  send(body: unknown): unknown;
}

/** A request header's first value. */
export const requestHeader = (request: Pick<ApiHttpRequest, 'headers'>, name: string): string | undefined => {
  const value = request.headers[name];
  return Array.isArray(value) ? value[0] : value;
};
