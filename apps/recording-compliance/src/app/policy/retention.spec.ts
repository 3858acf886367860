import { recordingStorageEnv, retentionDaysFor } from '@switchboard/recording-store';

describe('retention of recordings per tenant', () => {
  it("keeps a tenant's recordings for its own days, every other tenant's for the deployment's", () => {
    const config = recordingStorageEnv.parse({ RECORDING_RETENTION_DAYS: '30', TENANT_RECORDING_RETENTION_DAYS: '{"bank": 3650}' });
    const days = retentionDaysFor(config);
    expect([days('bank'), days('shop'), days(undefined), days('constructor')]).toEqual([3650, 30, 30, 30]);
    expect(retentionDaysFor(recordingStorageEnv.parse({}))('bank')).toBe(365);
  });
});
