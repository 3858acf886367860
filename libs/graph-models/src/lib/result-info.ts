import { z } from 'zod';
import { odataInt as int } from './odata';

/**
 * `resultInfo{code, subcode, message}`. Examples send the numbers as strings or spell the key `subCode`,
 * so both are accepted and normalised to `{ code, subcode, message }`.
 */
export const resultInfoSchema = z
  .looseObject({
    '@odata.type': z.string().optional(),
    code: int,
    subcode: int.optional(),
    subCode: int.optional(),
    message: z.string().nullish(),
  })
  .transform(({ code, subcode, subCode, message }) => ({
    code,
    subcode: subcode ?? subCode ?? 0,
    ...(message ? { message } : {}),
  }));

export type ResultInfo = z.output<typeof resultInfoSchema>;
