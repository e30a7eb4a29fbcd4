/** Who is calling: the member behind a verified access token. */
export interface Principal {
  memberId: string;
  roles: string[];
}

/** Verifies a bearer token; throws an `unauthenticated` DomainError when it is not valid. */
export interface Authenticator {
  authenticate(bearerToken: string): Promise<Principal>;
}
