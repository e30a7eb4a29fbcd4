import { z } from 'zod';

/**
 * No C0 or C1 control character (U+0000–U+001F, U+007F–U+009F), in explicit ranges: the regex
 * subset JSON Schema tools share has no `\p{Cc}`.
 */
// eslint-disable-next-line no-control-regex -- refusing them is the point
export const NO_CONTROL_CHARACTERS = /^[^\u0000-\u001F\u007F-\u009F]*$/;

/**
 * A name or title as the OpenAPI document states it: control characters are refused anywhere
 * (leading and trailing ones too, checked before trimming); surrounding spaces are trimmed, and
 * what is left must be 1 to `max` characters.
 */
export function textField(max: number) {
  return z
    .string()
    .regex(NO_CONTROL_CHARACTERS, 'must not contain control characters')
    .trim()
    .min(1)
    .max(max)
    .describe(`1 to ${max} characters after surrounding spaces are trimmed; no control characters`);
}
