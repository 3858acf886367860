export * from './lib/names';
export * from './lib/call-id';
export * from './lib/call-events';
export * from './lib/stored-notification';
export * from './lib/call-inputs';
export * from './lib/call-commands';
export * from './lib/media-heartbeats';
export * from './lib/recording-compliance';
