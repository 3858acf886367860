export * from './lib/api-authenticator';
export * from './lib/api-failure';
export * from './lib/openid-keys';
export * from './lib/graph-failure';
export * from './lib/api-auth-env';
export * from './lib/rest-exchange';
