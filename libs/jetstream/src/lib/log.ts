/** Structured log line: level, message, fields (a call's lines carry `callId`). */
export type LogFn = (level: 'info' | 'warn' | 'error', msg: string, fields: Record<string, unknown>) => void;

export const errorText = (error: unknown): string => (error instanceof Error ? error.message : String(error));
