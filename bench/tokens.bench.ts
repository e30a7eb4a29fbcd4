import 'reflect-metadata';
import { createHmac, webcrypto } from 'node:crypto';
import { jwtVerify } from 'jose';
import type { MemberDirectory } from '../src/application/members/members.ports.js';
import { JwtAuthenticator, JwtTokenIssuer } from '../src/infrastructure/members/jwt-tokens.js';

/**
 * The cost of a member's first request: verifying an access token not seen before. Compares the
 * authenticator (node:crypto HMAC, synchronous, then the claims) against jose's jwtVerify through
 * WebCrypto with a key imported once (what the authenticator did before), and against a bare
 * HMAC-SHA256 of the same bytes. Distinct tokens, so no cache answers. `BENCH_TOKENS` (20,000).
 */
const COUNT = Number(process.env.BENCH_TOKENS ?? 20_000);
const secret = new TextEncoder().encode('a benchmark secret of at least 32 bytes');
const directory = { sessionEpoch: async () => 0 } as unknown as MemberDirectory;

async function main(): Promise<void> {
  const issuer = new JwtTokenIssuer(secret);
  const tokens = await Promise.all(
    Array.from({ length: COUNT }, async (_, i) => (await issuer.issue({ memberId: `m-${i}`, roles: [], sessionEpoch: 0 })).accessToken),
  );
  const key = await webcrypto.subtle.importKey('raw', secret, { name: 'HMAC', hash: 'SHA-256' }, false, ['verify']);
  const rows: [string, number][] = [];
  // each case twice: the first pass warms the JIT, the second is the one reported
  for (let pass = 0; pass < 2; pass++) {
    rows.length = 0;
    rows.push(['bare HMAC-SHA256 (baseline)', await timed(tokens, async (token) => void hmac(token))]);
    const authenticator = new JwtAuthenticator(secret, directory);
    rows.push(['JwtAuthenticator, first sight', await timed(tokens, (token) => authenticator.authenticate(token))]);
    rows.push([
      'jose jwtVerify (WebCrypto)',
      await timed(tokens, (token) => jwtVerify(token, key, { issuer: 'onsale', audience: 'onsale-api' })),
    ]);
  }
  const baseline = rows[0]![1];
  console.log(`| verifying ${COUNT} distinct tokens | µs a token | × bare HMAC |`);
  console.log('| --- | ---: | ---: |');
  for (const [name, micros] of rows) console.log(`| ${name} | ${micros.toFixed(1)} | ${(micros / baseline).toFixed(1)} |`);
}

function hmac(token: string): Buffer {
  return createHmac('sha256', secret)
    .update(token.slice(0, token.lastIndexOf('.')))
    .digest();
}

/** µs a token, one after another (a burst's first requests arrive that way on one event loop). */
async function timed(tokens: string[], verify: (token: string) => Promise<unknown>): Promise<number> {
  const started = performance.now();
  for (const token of tokens) await verify(token);
  return ((performance.now() - started) * 1000) / tokens.length;
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
