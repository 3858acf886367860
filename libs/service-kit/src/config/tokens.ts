/** Injection token of the parsed, validated configuration object. */
export const APP_CONFIG = 'APP_CONFIG';
