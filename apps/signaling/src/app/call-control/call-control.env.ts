import { apiAuthEnv, type ApiAuthConfig } from '@switchboard/api-auth';

/** Environment of the call-control API (the shared REST token check); merged into signaling's configuration schema. */
export const callControlEnv = apiAuthEnv;

export type CallControlConfig = ApiAuthConfig;
