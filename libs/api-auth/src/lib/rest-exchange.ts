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

/** The query string's parameters, each as its first value (a repeated `?a=1&a=2` reads as `1`). */
export function queryParameters(request: RestRequest): Record<string, string | undefined> {
  const params: Record<string, string | undefined> = {};
  for (const [name, value] of Object.entries(request.query ?? {})) {
    const first = Array.isArray(value) ? value[0] : value;
    params[name] = typeof first === 'string' ? first : undefined;
  }
  return params;
}
