/**
 * A tenant's own value of a setting (a `TENANT_…` JSON object of tenant id to value), else the deployment's. Only the
 * object's own keys count: a tenant id such as `constructor` must not find the prototype's.
 */
export const tenantSetting = <T>(byTenant: Readonly<Record<string, T>>, tenantId: string | undefined, deployment: T): T =>
  (tenantId !== undefined && Object.hasOwn(byTenant, tenantId) ? byTenant[tenantId] : undefined) ?? deployment;
