import type { CallState } from '@switchboard/graph-models';
import { failure, type ApiFailure } from '@switchboard/api-auth';

export const callNotFound = (callId: string): ApiFailure => failure(404, 'CallNotFound', `call ${callId} is not known here`);

export const wrongState = (callId: string, action: string, state: CallState, allowed: string): ApiFailure =>
  failure(409, 'WrongState', `${action} is not possible: call ${callId} is ${state}, and ${action} needs ${allowed}`);
