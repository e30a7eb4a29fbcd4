/** Time as a dependency, so that handlers and tests agree on "now". */
export interface Clock {
  now(): Date;
}

/** Fresh ids (UUID v4) and random keys as a dependency. */
export interface IdGenerator {
  next(): string;
  /** `bytes` random bytes from a cryptographic source, in hex (hold keys, the draw's seed). */
  randomHex(bytes: number): string;
}
