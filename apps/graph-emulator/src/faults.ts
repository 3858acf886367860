import { z } from 'zod';
import { newId } from './call-record';
import { HttpError } from './http-kit';

/** Graph error codes for the statuses a fault may simulate. */
const FAULT_CODES: Record<number, string> = {
  400: 'BadRequest',
  403: 'Forbidden',
  404: 'ItemNotFound',
  408: 'RequestTimeout',
  409: 'Conflict',
  429: 'TooManyRequests',
  500: 'InternalServerError',
  502: 'BadGateway',
  503: 'ServiceUnavailable',
  504: 'GatewayTimeout',
};

/**
 * `POST /emulator/faults`: the next `count` Graph requests whose path ends with `path` fail with `status`, after
 * holding the request `delayMs` first when given (a slow Graph: the caller waits, and the request changes nothing).
 */
export const faultSchema = z.object({
  path: z.string().min(1).max(300).startsWith('/', 'path starts with /, e.g. /answer or /participants/invite'),
  method: z.enum(['GET', 'POST', 'PUT', 'PATCH', 'DELETE']).optional(),
  status: z
    .number()
    .int()
    .refine((s) => FAULT_CODES[s] !== undefined, `status must be one of ${Object.keys(FAULT_CODES).join(', ')}`),
  count: z.number().int().min(1).max(1000).default(1),
  retryAfterSeconds: z.number().int().min(0).max(3600).optional(),
  delayMs: z.number().int().min(0).max(60_000).optional(),
});
export type FaultRequest = z.output<typeof faultSchema>;

export interface Fault extends FaultRequest {
  id: string;
  /** How many more matching requests fail. */
  remaining: number;
}

/** A simulated Graph failure; the request changes nothing. */
export class FaultError extends HttpError {
  constructor(
    status: number,
    message: string,
    readonly retryAfterSeconds: number | undefined,
    readonly delayMs = 0,
  ) {
    super(status, FAULT_CODES[status] ?? 'UnknownError', message);
  }
}

/** Armed failures, consumed in the order they were set, one per matching request. */
export class Faults {
  private armed: Fault[] = [];

  add(request: FaultRequest): Fault {
    const fault = { ...request, id: newId(), remaining: request.count };
    this.armed.push(fault);
    return fault;
  }

  list(): Fault[] {
    return this.armed.map((f) => ({ ...f }));
  }

  clear(): number {
    const cleared = this.armed.length;
    this.armed = [];
    return cleared;
  }

  /** Consumes one use of the first fault matching the request, as the error to answer with. */
  take(method: string, path: string): FaultError | undefined {
    const lower = path.toLowerCase().replace(/\/$/, '');
    const fault = this.armed.find((f) => (!f.method || f.method === method) && lower.endsWith(f.path.toLowerCase().replace(/\/$/, '')));
    if (!fault) return undefined;
    fault.remaining -= 1;
    if (fault.remaining === 0) this.armed = this.armed.filter((f) => f !== fault);
    const message = `Simulated failure for ${method} ${path} (${fault.count - fault.remaining} of ${fault.count}).`;
    return new FaultError(fault.status, message, fault.retryAfterSeconds, fault.delayMs);
  }
}
