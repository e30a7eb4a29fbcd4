/** Time as a dependency, so that handlers and tests agree on "now". */
export interface Clock {
  now(): Date;
}

/** Fresh ids (UUID v4) as a dependency. */
export interface IdGenerator {
  next(): string;
}
