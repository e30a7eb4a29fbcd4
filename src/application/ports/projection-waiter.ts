/**
 * Read-your-writes for handlers: after appending at `position`, wait until a projection has
 * applied it before answering from its read model.
 */
export interface ProjectionWaiter {
  /** Resolves true once `projection`'s checkpoint is at or past `position`, false after `timeoutMs`. */
  waitFor(projection: string, position: number, timeoutMs: number): Promise<boolean>;
}
