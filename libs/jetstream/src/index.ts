export { JsErrorCode, jetStreamErrorCode, isJetStreamError } from './lib/api-errors';
export { ensureStream, fileStream, type StreamDefinition, type Ensured } from './lib/ensure-stream';
export { ensureDurableConsumer, type DurableConsumerDefinition } from './lib/ensure-consumer';
export { backoffDelayMs, defaultBackoff, type BackoffOptions } from './lib/backoff';
export { settlementFor, type Decision, type Finding, type Settlement, type SettlementPolicy } from './lib/settlement';
export { publishDeadLetter, DeadLetterError, DeadLetterHeaders, type DeadLetterTarget } from './lib/dead-letter';
export { PullWorker, type PullWorkerOptions, type PullWorkerObserver, type WorkerOutcome } from './lib/pull-worker';
export { Responder, type ResponderOptions, type RequestProblem, type ProblemReply } from './lib/responder';
export { errorText, type LogFn } from './lib/log';
