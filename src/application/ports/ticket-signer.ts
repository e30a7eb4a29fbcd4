/** A published public key (JWK, OKP/Ed25519). */
export interface TicketPublicKey {
  kty: 'OKP';
  crv: 'Ed25519';
  x: string;
  kid: string;
  use: 'sig';
  alg: 'EdDSA';
}

/** The current signing key: its id goes into the message it signs. */
export interface SigningKey {
  kid: string;
  /** Base64url signature over `message`. */
  sign(message: string): string;
}

/** Signs ticket codes with the current key; verifies them with any key not retired. */
export interface TicketSigner {
  current(): Promise<SigningKey>;
  /** Throws TICKET.UNKNOWN_KEY, TICKET.KEY_RETIRED or TICKET.FORGED. */
  verify(kid: string, message: string, signature: string): Promise<void>;
  /** Public halves of the keys that still verify. */
  publicKeys(): Promise<TicketPublicKey[]>;
}
