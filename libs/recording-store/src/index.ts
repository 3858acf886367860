export * from './lib/lease-authority';
export * from './lib/recording-announcer';
export * from './lib/recording-writer';
export * from './lib/recording-catalog';
export * from './lib/recording-storage-env';
export * from './lib/tenant-setting';
