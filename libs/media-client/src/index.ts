export { MediaClient, MediaCommandError, type MediaClientOptions } from './lib/media-client';
export { CallFrames, type CallFrame, type AttachOptions } from './lib/call-frames';
