import { captureLogs, createLogger } from '@switchboard/service-kit';
import { ApiAuthenticator } from '@switchboard/api-auth';
import { CallControlApi, NOT_CONFIGURED_MESSAGE } from './call-control-api';
import { CallControlService } from './call-control.service';
import { IdempotencyStore } from './idempotency-store';
import { RecordingGraph } from './recording-graph.testing';

/** Collaborators that fail the test if the request gets past authentication. */
function unreachable(): { service: CallControlService; idempotency: IdempotencyStore; graph: RecordingGraph } {
  const graph = new RecordingGraph();
  const records = {
    get: () => Promise.reject(new Error('no record may be read')),
    write: () => Promise.reject(new Error('no record may be written')),
    markPlacement: () => Promise.reject(new Error('no call may be placed')),
  };
  const service = new CallControlService({ records, graph: graph.calls, flows: { flowIds: [], flow: () => undefined }, settings: { callbackUri: 'https://b/api/calling', tenantId: 't' }, inputs: { schedule: () => Promise.reject(new Error('no input may be scheduled')) } });
  const kv = new Proxy({}, { get: () => () => Promise.reject(new Error('the idempotency bucket may not be used')) });
  return { service, idempotency: new IdempotencyStore(kv as ConstructorParameters<typeof IdempotencyStore>[0]), graph };
}

describe('CallControlApi', () => {
  it('answers 503 on every route while API_AUTH_OIDC_URL is unset', async () => {
    const logs = captureLogs();
    const { service, idempotency, graph } = unreachable();
    const api = new CallControlApi(service, idempotency, createLogger({ service: 't', destination: logs.stream }), undefined);
    const answer = await api.handleHttp('place', { authorization: 'Bearer x', params: {}, body: { target: { user: { id: 'u' } } } });
    expect(answer.status).toBe(503);
    expect(answer.body).toMatchObject({ message: NOT_CONFIGURED_MESSAGE });
    expect(graph.count()).toBe(0);
    expect(logs.lines()).toEqual([expect.objectContaining({ action: 'place', outcome: 'failed', status: 503 })]);
  });

  it('answers 503 naming the issuer when its OpenID configuration cannot be fetched, on every attempt', async () => {
    const { service, idempotency, graph } = unreachable();
    const authenticator = new ApiAuthenticator({ openIdConfigurationUrl: 'http://127.0.0.1:9/.well-known/openid-configuration', audience: 'api://switchboard' });
    const api = new CallControlApi(service, idempotency, createLogger({ service: 't', level: 'silent' }), authenticator);
    for (let i = 0; i < 2; i++) {
      const answer = await api.handleHttp('get', { authorization: 'Bearer x.y.z', params: { callId: 'abc' }, body: undefined });
      expect(answer.status).toBe(503);
      expect(answer.body).toMatchObject({ code: 'AuthUnavailable', message: expect.stringMatching(/127\.0\.0\.1:9\/\.well-known\/openid-configuration is unavailable/) });
    }
    expect(graph.count()).toBe(0);
  });
});
