import { inject, injectable } from 'tsyringe';
import { normaliseEmail } from '../../domain/members/email-address.js';
import { memberDecider } from '../../domain/members/member.decider.js';
import { EmailTaken } from '../../domain/members/members.errors.js';
import type { Clock, IdGenerator } from '../ports/clock.js';
import { TOKENS } from '../tokens.js';
import { hasCode } from './error-code.js';
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

  async handle(input: SignUpInput): Promise<SignedUp> {
    const email = normaliseEmail(input.email);
    const memberId = this.ids.next();
    const passwordHash = await this.hasher.hash(input.password);
    const events = memberDecider.decide(
      { type: 'SignUp', data: { memberId, email, name: input.name, passwordHash }, metadata: { now: this.clock.now() } },
      memberDecider.initialState(),
    );
    await this.vault.createKey(memberId);
    let position: number;
    try {
      position = await this.stream.append(memberId, events, 'no_stream', { claims: [{ scope: EMAIL_CLAIM_SCOPE, value: email }] });
    } catch (error) {
      await this.vault.destroyKey(memberId);
      throw hasCode(error, 'EVENT_STORE.CLAIM_TAKEN') ? new EmailTaken() : error;
    }
    await this.readModel.caughtUp(memberId, position);
    return { id: memberId, email, name: input.name };
  }
}
