/**
 * Matches errors by their stable code rather than by class: a module loaded twice (as under
 * mocha + tsx, where a dynamically imported adapter gets its own copy) breaks `instanceof`.
 */
export function hasCode(error: unknown, code: string): boolean {
  return typeof error === 'object' && error !== null && (error as { code?: unknown }).code === code;
}
