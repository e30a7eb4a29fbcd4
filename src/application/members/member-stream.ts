import { inject, injectable } from 'tsyringe';
import { memberDecider, type MemberState } from '../../domain/members/member.decider.js';
import type { MemberCommand } from '../../domain/members/members.commands.js';
import type { MemberEvent } from '../../domain/members/members.events.js';
import type { IdGenerator } from '../ports/clock.js';
import type { AppendOptions, EventStore, StreamState } from '../ports/event-store.js';
import { TOKENS } from '../tokens.js';
import { hasCode } from './error-code.js';
import { openMemberEvent, sealMemberEvent } from './member-event-codec.js';
import type { PersonalDataVault } from './members.ports.js';

export interface Loaded {
  state: MemberState;
  version: number;
}

export interface Executed extends Loaded {
  events: MemberEvent[];
  /** Global position of the append; 0 when the command changed nothing. */
  position: number;
}

const MAX_ATTEMPTS = 3;

export function memberStreamId(memberId: string): string {
  return `member-${memberId}`;
}

/** A member's stream: events are sealed on the way in and opened on the way out. */
@injectable()
export class MemberStream {
  constructor(
    @inject(TOKENS.EventStore) private readonly store: EventStore,
    @inject(TOKENS.PersonalDataVault) private readonly vault: PersonalDataVault,
    @inject(TOKENS.Ids) private readonly ids: IdGenerator,
  ) {}

  async load(memberId: string): Promise<Loaded> {
    let state = memberDecider.initialState();
    let version = 0;
    for (const recorded of await this.store.readStream(memberStreamId(memberId))) {
      const { event } = await openMemberEvent(recorded, this.vault);
      state = memberDecider.evolve(state, event);
      version = recorded.version;
    }
    return { state, version };
  }

  /** Appends events (personal fields sealed); returns the global position of the append. */
  async append(memberId: string, events: MemberEvent[], expected: StreamState, options?: AppendOptions): Promise<number> {
    const sealed = await Promise.all(events.map((event) => sealMemberEvent(event, this.vault)));
    const result = await this.store.append(
      memberStreamId(memberId),
      sealed.map((event) => ({ id: this.ids.next(), ...event })),
      expected,
      options,
    );
    return result.position;
  }

  /** Load, decide, append at the loaded version; a concurrent write means deciding again. */
  async execute(memberId: string, command: MemberCommand, options?: (state: MemberState) => AppendOptions): Promise<Executed> {
    for (let attempt = 1; ; attempt++) {
      const { state, version } = await this.load(memberId);
      const events = memberDecider.decide(command, state);
      if (events.length === 0) return { state, version, events, position: 0 };
      try {
        const position = await this.append(memberId, events, version === 0 ? 'no_stream' : version, options?.(state));
        return { state: events.reduce(memberDecider.evolve, state), version: version + events.length, events, position };
      } catch (error) {
        if (!hasCode(error, 'EVENT_STORE.WRONG_EXPECTED_VERSION') || attempt >= MAX_ATTEMPTS) throw error;
      }
    }
  }
}
