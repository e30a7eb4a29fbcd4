import { ApiError } from '../api/http.js';

/** The fields a 400 answer names (`errors: [{path, message}]`), e.g. {email: true}. */
export function invalidFields(error: unknown): Set<string> {
  const fields = new Set<string>();
  if (!(error instanceof ApiError) || !Array.isArray(error.problem.errors)) return fields;
  for (const entry of error.problem.errors as { path?: string }[]) {
    if (entry?.path) fields.add(String(entry.path).split('.')[0]!);
  }
  return fields;
}
