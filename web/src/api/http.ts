import { randomId } from './random-id.js';

/** A failed API call, carrying the problem `code` that the buyer's message is keyed on. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    readonly detail: string,
    readonly problem: Record<string, unknown> = {},
    readonly retryAfterSeconds?: number,
  ) {
    super(`${code}: ${detail}`);
  }
}

export interface RequestOptions {
  body?: unknown;
  headers?: Record<string, string>;
  /** Sends an Idempotency-Key, reused by the one retry after a network failure. */
  idempotent?: boolean;
  signal?: AbortSignal;
}

type TokenSource = () => string | undefined;
let tokenSource: TokenSource = () => undefined;
let onUnauthorised: () => void = () => undefined;
/** Server clock minus ours, from the last Date header: countdowns use the server's "now". */
let clockSkewMs = 0;

export function useAccessToken(source: TokenSource, unauthorised: () => void): void {
  tokenSource = source;
  onUnauthorised = unauthorised;
}

export function serverNow(): number {
  return Date.now() + clockSkewMs;
}

/** One JSON call under /api; problems become ApiError, a dead network ApiError('NETWORK'). */
export async function request<T>(method: string, path: string, options: RequestOptions = {}): Promise<T> {
  const headers: Record<string, string> = { Accept: 'application/json', ...options.headers };
  const token = tokenSource();
  if (token) headers.Authorization = `Bearer ${token}`;
  if (options.body !== undefined) headers['Content-Type'] = 'application/json';
  if (options.idempotent) headers['Idempotency-Key'] = randomId();
  const init: RequestInit = {
    method,
    headers,
    body: options.body === undefined ? undefined : JSON.stringify(options.body),
    signal: options.signal,
  };
  let response: Response;
  try {
    response = await fetch(`/api${path}`, init);
  } catch (error) {
    if (!options.idempotent || options.signal?.aborted) throw networkError(error);
    try {
      response = await fetch(`/api${path}`, init);
    } catch (again) {
      throw networkError(again);
    }
  }
  noteServerClock(response);
  if (response.status === 401 && token) onUnauthorised();
  if (!response.ok) throw await toApiError(response);
  if (response.status === 204) return undefined as T;
  const text = await response.text();
  return (text ? JSON.parse(text) : undefined) as T;
}

function networkError(error: unknown): ApiError {
  if ((error as Error)?.name === 'AbortError') return new ApiError(0, 'ABORTED', 'aborted');
  return new ApiError(0, 'NETWORK', (error as Error)?.message ?? 'network error');
}

function noteServerClock(response: Response): void {
  const date = Date.parse(response.headers.get('Date') ?? '');
  // The header has one-second resolution; only a clearly wrong client clock is worth correcting.
  if (Number.isFinite(date) && Math.abs(date - Date.now()) > 2000) clockSkewMs = date - Date.now();
}

async function toApiError(response: Response): Promise<ApiError> {
  const retryAfter = Number(response.headers.get('Retry-After'));
  let body: Record<string, unknown> = {};
  try {
    body = (await response.json()) as Record<string, unknown>;
  } catch {
    // not JSON (a proxy's error page): the status alone decides the message
  }
  const code = typeof body.code === 'string' ? body.code : `HTTP.${response.status}`;
  const detail = typeof body.detail === 'string' ? body.detail : response.statusText;
  return new ApiError(response.status, code, detail, body, Number.isFinite(retryAfter) && retryAfter > 0 ? retryAfter : undefined);
}

/** Opens an authenticated request for a stream (SSE): EventSource cannot send the bearer token. */
export async function openStream(path: string, signal: AbortSignal): Promise<Response> {
  const headers: Record<string, string> = { Accept: 'text/event-stream' };
  const token = tokenSource();
  if (token) headers.Authorization = `Bearer ${token}`;
  const response = await fetch(`/api${path}`, { headers, signal });
  if (!response.ok) throw await toApiError(response);
  if (!response.body || !(response.headers.get('Content-Type') ?? '').includes('text/event-stream')) {
    throw new ApiError(response.status, 'SSE.UNSUPPORTED', 'not an event stream');
  }
  return response;
}

/** An authenticated GET of a text file (the sales CSV): its content, or an ApiError. */
export async function requestText(path: string): Promise<string> {
  const headers: Record<string, string> = {};
  const token = tokenSource();
  if (token) headers.Authorization = `Bearer ${token}`;
  let response: Response;
  try {
    response = await fetch(`/api${path}`, { headers });
  } catch (error) {
    throw networkError(error);
  }
  if (!response.ok) throw await toApiError(response);
  return response.text();
}
