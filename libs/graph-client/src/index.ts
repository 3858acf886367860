export * from './lib/errors';
export type { GraphTlsOptions } from './lib/dispatcher';
export { defaultRetryOptions, parseRetryAfter, retryDelayMs, type RetryOptions } from './lib/retry-policy';
export {
  defaultAuthorityHost,
  defaultGraphScope,
  MsalTokenProvider,
  type AccessToken,
  type CertificateCredential,
  type GraphCredential,
  type TokenProvider,
  type TokenProviderOptions,
} from './lib/token-provider';
export { GraphHttp, type GraphMethod, type GraphRequest, type GraphRequestMetric, type GraphResponse } from './lib/http';
export { CallsClient } from './lib/calls-client';
export {
  createOnlineMeetingRequestSchema,
  odataString,
  OnlineMeetingsClient,
  type CreateOnlineMeetingRequest,
} from './lib/online-meetings-client';
export {
  checkGraphToken,
  graphTokenReadiness,
  createGraphClient,
  defaultGraphBaseUrl,
  defaultTimeoutMs,
  type GraphClient,
  type GraphClientConfig,
  type GraphTokenCheck,
} from './lib/graph-client';
export {
  checkGraphCredentialEnv,
  graphClientConfigFromEnv,
  graphClientEnv,
  graphClientEnvShape,
  readCertificateCredential,
  type GraphClientEnv,
} from './lib/graph-client-env';
