import type { AdmissionClaims } from '../../domain/admission/admission-token.js';

/** Signs and reads admission tokens (HMAC with a key id in our adapter, so that keys can rotate). */
export interface AdmissionTokens {
  sign(claims: AdmissionClaims): string;
  /** The claims of a token whose signature checks out with a known key, else undefined. */
  read(token: string): AdmissionClaims | undefined;
}
