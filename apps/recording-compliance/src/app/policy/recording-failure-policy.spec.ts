import { RecordingFailurePolicy, tenantFailurePoliciesEnv } from './recording-failure-policy';

describe('recording failure policy per tenant', () => {
  it("applies a tenant's own action, every other tenant's the deployment's", () => {
    const policy = new RecordingFailurePolicy('leave', tenantFailurePoliciesEnv.parse('{"bank": "stay-and-alert"}'));
    expect([policy.actionFor('bank'), policy.actionFor('shop'), policy.actionFor(undefined), policy.actionFor('constructor')]).toEqual(['stay-and-alert', 'leave', 'leave', 'leave']);
  });
});
