import type { KurrentDBClient } from '@kurrent/kurrentdb-client';
import { ConfigError } from '../../config/config.js';

/** The first KurrentDB release with atomic multi-stream appends (StreamsService.AppendSession, protocol v2). */
export const MULTI_STREAM_APPEND_SINCE = { major: 25, minor: 1 } as const;

/** What the server answered to an empty append session: it knows the call, or it does not. */
export type ProbeOutcome = 'implemented' | 'unimplemented';

const UNIMPLEMENTED = 12;
const FAILED_PRECONDITION = 9;

/** "25.1.0.2191-…" → 25.1; undefined for "unknown" (servers before 21.10 do not say) or anything else. */
export function parseServerVersion(version: string): { major: number; minor: number } | undefined {
  const match = /^v?(\d+)\.(\d+)/.exec(version.trim());
  return match ? { major: Number(match[1]), minor: Number(match[2]) } : undefined;
}

/** True/false from the reported version alone; undefined when the version says nothing. */
export function versionHasMultiStreamAppend(version: string): boolean | undefined {
  const parsed = parseServerVersion(version);
  if (!parsed) return undefined;
  const { major, minor } = MULTI_STREAM_APPEND_SINCE;
  return parsed.major > major || (parsed.major === major && parsed.minor >= minor);
}

/**
 * The start-up decision. A version of 25.1 or later is enough; below it (or unknown), the probe
 * decides, so a build with an odd version string that does serve the call is still used.
 * Returns the one line to refuse with, or undefined when onsale may use the server.
 */
export function multiStreamRefusal(url: string, version: string, probe: ProbeOutcome | undefined): string | undefined {
  if (versionHasMultiStreamAppend(version) === true || probe === 'implemented') return undefined;
  const { major, minor } = MULTI_STREAM_APPEND_SINCE;
  const which = parseServerVersion(version) ? `is version ${version}` : 'does not report its version (older than 21.10)';
  return `KurrentDB at ${withoutSecrets(url)} ${which}: onsale needs ${major}.${minor} or later for atomic multi-stream appends`;
}

/**
 * What an empty append session's failure says: UNIMPLEMENTED from a server without the v2
 * streams service, FAILED_PRECONDITION ("no requests") from one that has it. Anything else (not
 * reachable, access denied) is not an answer about support: undefined, and the caller rethrows.
 */
export function probeOutcome(error: unknown): ProbeOutcome | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  if (code === UNIMPLEMENTED) return 'unimplemented';
  if (code === FAILED_PRECONDITION) return 'implemented';
  return undefined;
}

/** Throws the one-line refusal (a ConfigError: main prints its message only) when the server cannot append to several streams atomically. */
export async function requireMultiStreamAppend(client: KurrentDBClient, url: string): Promise<void> {
  const version = await serverVersion(client);
  if (versionHasMultiStreamAppend(version) === true) return;
  const refusal = multiStreamRefusal(url, version, await probe(client));
  if (refusal) throw new ConfigError(refusal);
}

/** The version the server reports through its server-features call ("unknown" before 21.10). */
async function serverVersion(client: KurrentDBClient): Promise<string> {
  // `capabilities` is how the client itself gates features by server version; it is not in its public types.
  const features = await (client as unknown as { capabilities?: Promise<{ serverVersion?: string }> }).capabilities;
  return features?.serverVersion ?? 'unknown';
}

/** An append session with no requests: nothing can be written, and the answer says whether the call exists. */
async function probe(client: KurrentDBClient): Promise<ProbeOutcome> {
  try {
    await client.multiStreamAppend([]);
    return 'implemented';
  } catch (error) {
    const outcome = probeOutcome(error);
    if (!outcome) throw error;
    return outcome;
  }
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
