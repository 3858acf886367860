import { FlowCatalog } from '../flows/flow-catalog';
import type { SealedToken } from '../recordings/recording-token-seal';
import type { ReduceContext } from './call-reducer';

/** The reducer's context in specs: a fixed clock, tenant-1, replica r1, the built-in flow, a readable fake seal. */
export const testReduceContext: ReduceContext = {
  now: new Date('2026-01-01T00:00:00Z'),
  tenantId: 'tenant-1',
  replicaId: 'r1',
  keepAliveIntervalMs: 600_000,
  flows: FlowCatalog.load(undefined, 'https://prompts/welcome.wav'),
  sealToken: (_token, boundTo) => `sealed(${boundTo})` as SealedToken,
};
