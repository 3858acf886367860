export { parseFlow, parseInlineSteps } from './lib/flow/parse-flow';
export { FlowValidationError, formatIssue, type FlowIssue } from './lib/flow/flow-issues';
export type { Flow, Step, StepOf, TargetSpec, GatherSpec, RecordSpec } from './lib/flow/flow-model';
export { builtinNames, type BuiltinName } from './lib/flow/templates';
export { startFlow, resumeFlow } from './lib/engine/engine';
export {
  IvrEngineError,
  ivrInputSchema,
  type CallerInfo,
  type EngineResult,
  type FlowContext,
  type IvrCommand,
  type IvrCommandOf,
  type IvrEvent,
  type IvrEventBase,
  type IvrEventName,
  type IvrEventFields,
  type IvrInput,
  type IvrInputOf,
  type IvrState,
  type RecordingInfo,
  type Waiting,
  type WebhookPayload,
} from './lib/engine/ivr-types';
