export * from './lib/ports';
export * from './lib/nats-server';
export * from './lib/managed-process';
