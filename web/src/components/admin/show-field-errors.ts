import { ApiError } from '../../api/http.js';

/** Field errors keyed by the API's path (`title`, `seating.sections.0.rows`), and what names no field shown. */
export interface ShowErrors {
  fields: Record<string, { status: number; message: string }>;
  general: string[];
}

// InvalidShow names `seating.sections[0].aisles[1]`, validation `seating.sections.0.aisles.1`
const dotted = (path: string) => path.replace(/\[(\d+)\]/g, '.$1');

/**
 * Spreads a refused show over the form's fields: each path goes to the deepest field the form has
 * (`seating.sections.0.aisles.1` → `seating.sections.0.aisles`); a path no field holds is general.
 */
export function showErrors(error: unknown, known: string[]): ShowErrors {
  const result: ShowErrors = { fields: {}, general: [] };
  if (!(error instanceof ApiError)) return result;
  const entries: { path: string; message: string }[] = Array.isArray(error.problem.errors)
    ? (error.problem.errors as { path?: string; message?: string }[]).map((e) => ({
        path: String(e.path ?? ''),
        message: String(e.message ?? ''),
      }))
    : [{ path: typeof error.problem.field === 'string' ? error.problem.field : '', message: error.detail }];
  for (const { path, message } of entries) {
    const field = fieldOf(dotted(path), known);
    if (field === undefined) result.general.push(path ? `${path}: ${message}` : message);
    else result.fields[field] ??= { status: error.status, message: withoutPath(message, path) };
  }
  return result;
}

function fieldOf(path: string, known: string[]): string | undefined {
  let best: string | undefined;
  for (const field of known) {
    if ((path === field || path.startsWith(`${field}.`)) && field.length > (best?.length ?? -1)) best = field;
  }
  return best;
}

// "salesOpenAt cannot change now: sales have opened" → "sales have opened" beside the field
function withoutPath(message: string, path: string): string {
  const prefixes = [`${path} cannot change now: `, `${path}: `, `${path} `];
  const prefix = prefixes.find((p) => path && message.startsWith(p));
  return prefix ? message.slice(prefix.length) : message;
}
