import { createPrivateKey, createPublicKey, sign, verify, type KeyObject } from 'node:crypto';
import type { Clock } from '../../application/ports/clock.js';
import type { SigningKey, TicketPublicKey, TicketSigner } from '../../application/ports/ticket-signer.js';
import { TicketForged, TicketKeyRetired, TicketKeyUnknown } from '../../domain/tickets/tickets.errors.js';
import type { SqlTicketKeyRing, TicketKeyRow } from './sql-ticket-key-ring.js';

interface LoadedKey {
  kid: string;
  x: string;
  publicKey: KeyObject;
  privateKey: KeyObject;
  retired: boolean;
}

/**
 * Ed25519 over node:crypto, keys from the key ring, re-read every `refreshMs` (a rotation or a
 * retirement made elsewhere reaches this process within that time) and at once for an unknown kid.
 * With no key at all it makes the first one.
 */
export class Ed25519TicketSigner implements TicketSigner {
  private keys = new Map<string, LoadedKey>();
  private loadedAt = -Infinity;
  private loading?: Promise<void>;

  constructor(
    private readonly ring: SqlTicketKeyRing,
    private readonly clock: Clock,
    private readonly refreshMs = 5000,
  ) {}

  async current(): Promise<SigningKey> {
    await this.fresh();
    let active = [...this.keys.values()].filter((key) => !key.retired).at(-1);
    if (!active) {
      await this.ring.rotate(this.clock.now().getTime());
      await this.reload();
      active = [...this.keys.values()].filter((key) => !key.retired).at(-1)!;
    }
    const { kid, privateKey } = active;
    return { kid, sign: (message) => sign(null, Buffer.from(message), privateKey).toString('base64url') };
  }

  async verify(kid: string, message: string, signature: string): Promise<void> {
    await this.fresh();
    if (!this.keys.has(kid)) await this.reload();
    const key = this.keys.get(kid);
    if (!key) throw new TicketKeyUnknown(kid);
    if (!verify(null, Buffer.from(message), key.publicKey, Buffer.from(signature, 'base64url'))) throw new TicketForged();
    if (key.retired) throw new TicketKeyRetired(kid);
  }

  async publicKeys(): Promise<TicketPublicKey[]> {
    await this.fresh();
    return [...this.keys.values()]
      .filter((key) => !key.retired)
      .map(({ kid, x }) => ({ kty: 'OKP', crv: 'Ed25519', x, kid, use: 'sig', alg: 'EdDSA' }));
  }

  private async fresh(): Promise<void> {
    if (this.clock.now().getTime() - this.loadedAt >= this.refreshMs) await this.reload();
  }

  /** One read at a time; callers arriving meanwhile share it. */
  private reload(): Promise<void> {
    this.loading ??= this.ring
      .all()
      .then((rows) => {
        this.keys = new Map(
          rows.map((row) => [
            row.kid,
            this.keys.get(row.kid)?.x === row.public_x ? { ...this.keys.get(row.kid)!, retired: row.retired_at !== null } : load(row),
          ]),
        );
        this.loadedAt = this.clock.now().getTime();
      })
      .finally(() => (this.loading = undefined));
    return this.loading;
  }
}

function load(row: TicketKeyRow): LoadedKey {
  const privateKey = createPrivateKey({ key: Buffer.from(row.private_key, 'base64'), format: 'der', type: 'pkcs8' });
  return { kid: row.kid, x: row.public_x, publicKey: createPublicKey(privateKey), privateKey, retired: row.retired_at !== null };
}
