import { inject, injectable } from 'tsyringe';
import { normaliseEmail } from '../../domain/members/email-address.js';
import { memberDecider } from '../../domain/members/member.decider.js';
import { EmailTaken } from '../../domain/members/members.errors.js';
import type { Clock, IdGenerator } from '../ports/clock.js';
import { hasCode } from './error-code.js';
import { ClaimTaken } from '../ports/event-store.errors.js';
import type { UniquenessClaim } from '../ports/event-store.js';
import { TOKENS } from '../tokens.js';
import { MemberStream } from './member-stream.js';
import { MembersReadModel } from './members-read-model.js';
import type { PasswordHasher, PersonalDataVault } from './members.ports.js';

/** The uniqueness scope of members' e-mail addresses (the store keeps only a hash of the value). */
export const EMAIL_CLAIM_SCOPE = 'member-email';

export interface SignUpInput {
  email: string;
  name: string;
  password: string;
}

/** How the first admin signs up: with the admin role, and a claim that makes their setup link single-use. */
export interface SignUpOptions {
  admin?: boolean;
  claims?: UniquenessClaim[];
}

export interface SignedUp {
  id: string;
  email: string;
  name: string;
}

/** Signs a member up: the address is claimed in the same transaction as the first event. */
@injectable()
export class SignUpHandler {
  constructor(
    @inject(TOKENS.Clock) private readonly clock: Clock,
    @inject(TOKENS.Ids) private readonly ids: IdGenerator,
    @inject(TOKENS.PasswordHasher) private readonly hasher: PasswordHasher,
    @inject(TOKENS.PersonalDataVault) private readonly vault: PersonalDataVault,
    @inject(MemberStream) private readonly stream: MemberStream,
    @inject(MembersReadModel) private readonly readModel: MembersReadModel,
  ) {}

  async handle(input: SignUpInput, options: SignUpOptions = {}): Promise<SignedUp> {
    const email = normaliseEmail(input.email);
    const memberId = this.ids.next();
    const passwordHash = await this.hasher.hash(input.password);
    const metadata = { now: this.clock.now() };
    const events = memberDecider.decide(
      { type: 'SignUp', data: { memberId, email, name: input.name, passwordHash }, metadata },
      memberDecider.initialState(),
    );
    if (options.admin) {
      const state = events.reduce(memberDecider.evolve, memberDecider.initialState());
      events.push(...memberDecider.decide({ type: 'GrantAdmin', data: { memberId }, metadata }, state));
    }
    await this.vault.createKey(memberId);
    let position: number;
    try {
      const claims = [{ scope: EMAIL_CLAIM_SCOPE, value: email }, ...(options.claims ?? [])];
      position = await this.stream.append(memberId, events, 'no_stream', { claims });
    } catch (error) {
      await this.vault.destroyKey(memberId);
      // another claim of the caller's (a setup link used) is theirs to explain
      const otherClaim = error instanceof ClaimTaken && options.claims?.some((claim) => claim.scope === error.scope);
      throw hasCode(error, 'EVENT_STORE.CLAIM_TAKEN') && !otherClaim ? new EmailTaken() : error;
    }
    await this.readModel.caughtUp(memberId, position);
    return { id: memberId, email, name: input.name };
  }
}
