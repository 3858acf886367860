import { callCommandBodySchema, type CallCommandAction } from '@switchboard/nats-contracts';
import { z } from 'zod';
import { API_ROLES, isReadAction, requiredRole } from './api-roles';
import { apiRoutes } from './api-routes';

type JsonObject = Record<string, unknown>;

const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });
const json = (schema: JsonObject) => ({ 'application/json': { schema } });

const refusals: Record<string, string> = {
  '400': 'Invalid body, path id or header; `message` names each field',
  '401': 'Missing, invalid or expired bearer token (`WWW-Authenticate: Bearer`)',
  '403': 'The token lacks the role the action needs; `message` names it',
  '404': 'No call with this id (`CallNotFound`)',
  '409': 'The call is in a state that does not allow the action (`WrongState`, with the current state), or a request with the same Idempotency-Key is running',
  '422': 'The Idempotency-Key was first used for a different request',
  '502': 'Graph failed or did not answer in time',
  '503': 'The API is not configured (API_AUTH_OIDC_URL unset) or the token issuer is unreachable',
};

const successSchema = (action: CallCommandAction): JsonObject => {
  if (action === 'place') return ref('PlacedCall');
  if (action === 'get') return ref('Call');
  if (action === 'history') return ref('CallHistory');
  if (action === 'list-participants') return ref('Participants');
  return ref('Accepted');
};

const pathParameters = (path: string) =>
  [...path.matchAll(/\{(\w+)\}/g)].map(([, name]) => ({ name, in: 'path', required: true, schema: { type: 'string', pattern: '^[A-Za-z0-9-]{1,128}$' } }));

const idempotencyHeader = {
  name: 'Idempotency-Key',
  in: 'header',
  required: false,
  description: 'The first successful answer is stored for 24 h per caller and key; a repeat gets it back (header `Idempotent-Replayed: true`) without reaching Graph.',
  schema: { type: 'string', minLength: 1, maxLength: 255 },
};

const bodySchema = (schema: z.ZodType): JsonObject => {
  const { $schema: _dialect, ...rest } = z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as JsonObject;
  return rest;
};

/** The OpenAPI 3.1 document of the call-control API, with request bodies generated from the command schemas. */
export function buildOpenApiDocument(): JsonObject {
  const paths: Record<string, JsonObject> = {};
  for (const route of apiRoutes) {
    const schema = callCommandBodySchema(route.action);
    const role = requiredRole(route.action);
    paths[route.path] = {
      ...paths[route.path],
      [route.method]: {
        operationId: route.action.replace(/-(\w)/g, (_m, c: string) => c.toUpperCase()),
        summary: route.summary,
        description: `Needs the \`${role}\` role. NATS: request on \`<namespace>.calls.v1.commands.${route.action}\`.`,
        security: [{ bearer: [] }],
        parameters: [...pathParameters(route.path), ...(isReadAction(route.action) ? [] : [idempotencyHeader])],
        ...(schema && route.method === 'post' ? { requestBody: { required: false, content: json(bodySchema(schema)) } } : {}),
        responses: {
          [String(route.status)]: { description: 'Done', content: json(successSchema(route.action)) },
          ...Object.fromEntries(Object.entries(refusals).map(([status, description]) => [status, { description, content: json(ref('Failure')) }])),
        },
      },
    };
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'Switchboard call-control API',
      version: '1.0.0',
      description: `Bearer JWTs from the configured issuer; roles ${Object.values(API_ROLES).join(', ')}.`,
    },
    paths,
    components: {
      securitySchemes: { bearer: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' } },
      schemas: componentSchemas,
    },
  };
}

const str = { type: 'string' };
const party = { type: 'object', properties: { kind: str, id: str, displayName: str } };
const componentSchemas: Record<string, JsonObject> = {
  Failure: {
    type: 'object',
    required: ['statusCode', 'code', 'message'],
    properties: { statusCode: { type: 'integer' }, code: str, message: str },
  },
  PlacedCall: { type: 'object', required: ['callId', 'state'], properties: { callId: str, state: str } },
  Accepted: {
    type: 'object',
    required: ['callId'],
    properties: {
      callId: str,
      status: { const: 'accepted' },
      operation: { type: 'object', properties: { id: str, kind: str, status: str, clientContext: str, resultInfo: { type: 'object' } } },
    },
  },
  Call: {
    type: 'object',
    required: ['callId', 'tenantId', 'state', 'direction', 'handler', 'createdAt', 'updatedAt'],
    properties: {
      callId: str,
      tenantId: str,
      state: str,
      direction: { enum: ['incoming', 'outgoing'] },
      handler: { type: 'object', properties: { kind: { enum: ['flow', 'app'] }, flowId: str, app: str } },
      caller: party,
      createdAt: { type: 'string', format: 'date-time' },
      updatedAt: { type: 'string', format: 'date-time' },
      resultInfo: { type: 'object' },
      flow: { type: 'object', properties: { id: str, step: str, status: { enum: ['running', 'finished'] }, finishedReason: str } },
      placedBy: { type: 'object', properties: { subject: str } },
    },
  },
  CallHistory: {
    type: 'object',
    properties: { callId: str, history: { type: 'array', items: { type: 'object', properties: { at: str, type: str, eventId: str } } } },
  },
  Participants: { type: 'object', properties: { callId: str, participants: { type: 'array', items: { type: 'object' } } } },
};
