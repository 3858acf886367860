/** Injection token of the service's root pino logger. */
export const LOGGER = 'LOGGER';
