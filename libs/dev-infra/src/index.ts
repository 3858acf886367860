export * from './lib/ports';
export * from './lib/nats-server';
export * from './lib/managed-process';
export * from './lib/workspace';
export * from './lib/https-json';
export * from './lib/platform';
