/** The first answer to a request sent with an Idempotency-Key. */
export interface StoredResponse {
  fingerprint: string;
  status: number;
  body: unknown;
}

/** Remembers answers by (scope, key); `remember` keeps the first one when two race. */
export interface IdempotencyStore {
  recall(scope: string, key: string): Promise<StoredResponse | undefined>;
  remember(scope: string, key: string, response: StoredResponse): Promise<void>;
}
