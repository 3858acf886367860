export * from './lib/api-authenticator';
export * from './lib/api-failure';
export * from './lib/openid-keys';
export * from './lib/http-shapes';
