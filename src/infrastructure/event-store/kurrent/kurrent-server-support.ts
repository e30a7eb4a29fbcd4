import type { KurrentDBClient } from '@kurrent/kurrentdb-client';
import { ConfigError } from '../../config/config.js';

/** The first KurrentDB release with atomic multi-stream appends (protocol v2 StreamsService.AppendSession). */
export const MULTI_STREAM_APPEND_SINCE = '25.1';

/** The call behind `multiStreamAppend`, as the server's feature list names it (lower-cased on comparison). */
export const APPEND_SESSION_PATH = '/kurrentdb.protocol.v2.streams.StreamsService/AppendSession';

/** What the server says about itself through its server-features call. */
export interface ServerFeatures {
  /** "25.1.0.2191…"; "unknown" from servers before 21.10, which have no server-features call. */
  serverVersion: string;
  supports(method: { path: string }, feature?: string): boolean;
}

/**
 * The start-up decision, from the server's version and whether its feature list has the append
 * session. The client itself refuses `multiStreamAppend` (UnsupportedError) when the list lacks
 * it, whatever the version, so the list decides. Returns the one line to refuse with, or
 * undefined when onsale may use the server.
 */
export function multiStreamRefusal(url: string, serverVersion: string, hasAppendSession: boolean): string | undefined {
  if (hasAppendSession) return undefined;
  const at = `KurrentDB at ${withoutSecrets(url)}`;
  const needs = `onsale needs ${MULTI_STREAM_APPEND_SINCE} or later for atomic multi-stream appends`;
  const version = parseServerVersion(serverVersion);
  if (!version) return `${at} does not report its version (older than 21.10): ${needs}`;
  if (!isAtLeast(version, MULTI_STREAM_APPEND_SINCE)) return `${at} is version ${serverVersion}: ${needs}`;
  return `${at} is version ${serverVersion} but does not offer StreamsService.AppendSession: ${needs}`;
}

/** "25.1.0.2191-hash" → 25.1; undefined for "unknown" or anything else. */
export function parseServerVersion(version: string): { major: number; minor: number } | undefined {
  const match = /^v?(\d+)\.(\d+)/.exec(version.trim());
  return match ? { major: Number(match[1]), minor: Number(match[2]) } : undefined;
}

function isAtLeast(version: { major: number; minor: number }, since: string): boolean {
  const wanted = parseServerVersion(since)!;
  return version.major > wanted.major || (version.major === wanted.major && version.minor >= wanted.minor);
}

/** Throws the one-line refusal (a ConfigError: main prints its message only) when the server cannot append to several streams atomically. */
export async function requireMultiStreamAppend(client: KurrentDBClient, url: string): Promise<void> {
  const features = await featuresOf(client);
  const refusal = multiStreamRefusal(url, features.serverVersion, features.supports({ path: APPEND_SESSION_PATH }));
  if (refusal) throw new ConfigError(refusal);
}

/**
 * The server-features answer the client caches and gates its own calls on (`capabilities`, not in
 * its public types). Fetching it fails when the server cannot be reached.
 */
function featuresOf(client: KurrentDBClient): Promise<ServerFeatures> {
  return (client as unknown as { capabilities: Promise<ServerFeatures> }).capabilities;
}

function withoutSecrets(url: string): string {
  try {
    const parsed = new URL(url);
    if (!parsed.password) return url;
    parsed.password = '***';
    return parsed.toString();
  } catch {
    return url;
  }
}
