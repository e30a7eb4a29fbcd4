import { inject, injectable } from 'tsyringe';
import { MemberNotFound } from '../../domain/members/members.errors.js';
import { TOKENS } from '../tokens.js';
import type { MemberDirectory } from './members.ports.js';
import { toProfile, type Profile } from './profile.js';

/** The caller's own profile, from the members read model (writes wait for it to catch up). */
@injectable()
export class GetMyProfileHandler {
  constructor(@inject(TOKENS.MemberDirectory) private readonly directory: MemberDirectory) {}

  async handle(memberId: string): Promise<Profile> {
    const member = await this.directory.byId(memberId);
    if (!member) throw new MemberNotFound();
    return toProfile(member);
  }
}
