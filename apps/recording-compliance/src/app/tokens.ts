export const NATS_NAMES = Symbol('NATS_NAMES');
export const COMPLIANCE_NAMES = Symbol('COMPLIANCE_NAMES');
export const AUDIT_TRAIL = Symbol('AUDIT_TRAIL');
export const API_AUTHENTICATOR = Symbol('API_AUTHENTICATOR');
export const RECORDINGS_API = Symbol('RECORDINGS_API');
export const RECORDING_CATALOG = Symbol('RECORDING_CATALOG');
