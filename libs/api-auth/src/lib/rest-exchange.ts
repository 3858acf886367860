/** The parts of a Fastify request a REST controller hands to its API. */
export interface RestRequest {
  headers: Record<string, string | string[] | undefined>;
  params: Record<string, string | undefined>;
  query?: Record<string, unknown>;
  body: unknown;
}

/** The parts of a Fastify reply a REST controller answers with. */
export interface RestReply {
  status(code: number): RestReply;
  headers(values: Record<string, string>): RestReply;
  send(body: unknown): unknown;
}

/** A request header's first value. */
export const requestHeader = (request: RestRequest, name: string): string | undefined => {
  const value = request.headers[name];
  return Array.isArray(value) ? value[0] : value;
};
