import { ANY, NO_STREAM, STREAM_EXISTS, convertToCommandError } from '@kurrent/kurrentdb-client';
import { expect } from 'chai';
import { createRequire } from 'node:module';
import { ClaimTaken } from '../../../../src/application/ports/event-store.errors.js';
import { claimStreamOf, planClaims } from '../../../../src/infrastructure/event-store/kurrent/kurrent-claims.js';
import { toKurrentUrl } from '../../../../src/infrastructure/event-store/kurrent/kurrent-event-store.js';
import { fromStoredMetadata, toProperties } from '../../../../src/infrastructure/event-store/kurrent/kurrent-mapping.js';
import { conflictOf, toAppendResult, toStreamRequest } from '../../../../src/infrastructure/event-store/kurrent/kurrent-multi-append.js';
import { claimKey } from '../../../../src/infrastructure/event-store/prepared-append.js';

// The client's own gRPC and protobuf modules, to build a server's refusal exactly as it arrives on the wire.
const fromClient = createRequire(createRequire(import.meta.url).resolve('@kurrent/kurrentdb-client'));
const { Metadata } = fromClient('@grpc/grpc-js');
const { Any } = fromClient('google-protobuf/google/protobuf/any_pb');
const { Status } = fromClient('../generated/kurrentdb/protocols/v1/status_pb');
const { StreamRevisionConflictErrorDetails } = fromClient('../generated/kurrentdb/protocols/v2/streams/errors_pb');

/** A FAILED_PRECONDITION with StreamRevisionConflictErrorDetails, as KurrentDB 25.1 refuses an append session. */
function revisionConflict(stream: string, expected: string, actual: string): Error {
  const details = new StreamRevisionConflictErrorDetails().setStream(stream).setExpectedRevision(expected).setActualRevision(actual);
  const any = new Any();
  any.pack(details.serializeBinary(), 'kurrentdb.protocol.v2.streams.errors.StreamRevisionConflictErrorDetails');
  const status = new Status().setCode(9).setMessage('revision conflict').setDetails(any);
  const metadata = new Metadata();
  metadata.set('grpc-status-details-bin', Buffer.from(status.serializeBinary()));
  return Object.assign(new Error('9 FAILED_PRECONDITION: revision conflict'), { code: 9, details: 'revision conflict', metadata });
}

describe('KurrentDB adapter: multi-stream append mapping', () => {
  it('when a stream part is built, then versions become revisions and metadata becomes string properties', () => {
    const events = [{ id: 'e1', type: 'Booked', data: { seat: 'A1' }, metadata: { correlationId: 'c-1', attempt: 2 }, schemaVersion: 3 }];
    const parts = [
      toStreamRequest({ streamId: 'ledger-1', expected: 'no_stream', events }),
      toStreamRequest({ streamId: 'ledger-2', expected: 0, events }),
      toStreamRequest({ streamId: 'ledger-3', expected: 4, events }),
      toStreamRequest({ streamId: 'ledger-4', expected: 'any', events }),
      toStreamRequest({ streamId: 'ledger-5', expected: 'stream_exists', events }),
    ];
    expect(parts.map((p) => p.expectedState)).to.deep.equal([NO_STREAM, NO_STREAM, 3n, ANY, STREAM_EXISTS]);
    const [event] = parts[0]!.events;
    expect(event).to.include({ id: 'e1', type: 'Booked', contentType: 'application/json' });
    expect(event!.data).to.deep.equal({ seat: 'A1' });
    // multiStreamAppend refuses metadata with values other than strings
    expect(event!.metadata).to.deep.equal({ correlationId: 'c-1', 'json:attempt': '2', 'json:schemaVersion': '3' });
  });

  it('when metadata comes back from either kind of append, then the caller sees the values it wrote', () => {
    const written = {
      correlationId: 'c-1',
      causationId: 'x',
      attempt: 2,
      nested: { a: [1] },
      flag: false,
      schemaVersion: 1,
      'json:odd': 'text',
    };
    // the server adds the record's schema to the properties of a multi-stream append
    const stored = { ...toProperties(written), '$schema.format': 'Json', '$schema.name': 'Booked' };
    expect(fromStoredMetadata(stored)).to.deep.equal(written);
    // appendToStream stores the JSON object as it is
    expect(fromStoredMetadata({ correlationId: 'c-1', schemaVersion: 2 })).to.deep.equal({ correlationId: 'c-1', schemaVersion: 2 });
    expect(fromStoredMetadata(undefined)).to.deep.equal({});
    expect(fromStoredMetadata(new Uint8Array([1]))).to.deep.equal({});
  });

  it('when the server commits, then the result has each caller stream at revision + 1 and no claim stream', () => {
    const claim = claimStreamOf(claimKey({ scope: 'member-email', value: 'a@b.c' }));
    const result = toAppendResult(
      {
        position: 4096n,
        responses: [
          { streamName: 'ledger-1', revision: 0n },
          { streamName: 'inventory-1', revision: 6n },
          { streamName: claim, revision: 2n },
        ],
      },
      ['ledger-1', 'inventory-1'],
    );
    expect(result).to.deep.equal({ position: 4096, versions: { 'ledger-1': 1, 'inventory-1': 7 } });
  });

  it('when the server refuses one stream at its revision, then the conflict names that stream with its version', () => {
    const error = convertToCommandError(revisionConflict('inventory-1', '5', '6') as never);
    expect(conflictOf(error)).to.deep.equal({ streamId: 'inventory-1', actual: 7 });
    const missing = convertToCommandError(revisionConflict('ledger-9', '-4', '-1') as never);
    expect(conflictOf(missing)).to.deep.equal({ streamId: 'ledger-9', actual: 0 });
    expect(conflictOf(new Error('other'))).to.equal(undefined);
  });

  it('when an esdb:// address is given, then the client gets the same server as kurrentdb://', () => {
    expect(toKurrentUrl('esdb://h:2113?tls=false')).to.equal('kurrentdb://h:2113?tls=false');
    expect(toKurrentUrl('esdb+discover://h:2113')).to.equal('kurrentdb+discover://h:2113');
    expect(toKurrentUrl('kurrentdb://h:2113')).to.equal('kurrentdb://h:2113');
  });
});

describe('KurrentDB adapter: claims planned into the append', () => {
  const email = claimKey({ scope: 'member-email', value: 'a@b.c' });
  const other = claimKey({ scope: 'member-email', value: 'z@b.c' });
  const owners = new Set(['member-1']);

  it('when a value is free, then ClaimMade is written at the revision read; when the caller holds it, then nothing', () => {
    const [fresh] = planClaims([{ key: email, state: {} }], [], 'member-1', owners);
    expect(fresh).to.include({ streamName: claimStreamOf(email), expectedState: NO_STREAM });
    expect(fresh!.events.map((e) => [e.type, e.data])).to.deep.equal([['ClaimMade', { owner: 'member-1' }]]);
    const [again] = planClaims([{ key: email, state: { revision: 1n } }], [], 'member-1', owners);
    expect(again).to.include({ expectedState: 1n });
    expect(planClaims([{ key: email, state: { owner: 'member-1', revision: 0n } }], [], 'member-1', owners)).to.deep.equal([]);
  });

  it('when another stream holds the value, then ClaimTaken and nothing is planned', () => {
    expect(() => planClaims([{ key: email, state: { owner: 'member-2', revision: 0n } }], [], 'member-1', owners)).to.throw(ClaimTaken);
  });

  it('when releasing, then only a value the caller holds gets ClaimReleased; released and claimed at once is claimed', () => {
    const [released] = planClaims([], [{ key: email, state: { owner: 'member-1', revision: 0n } }], 'member-1', owners);
    expect(released).to.include({ streamName: claimStreamOf(email), expectedState: 0n });
    expect(released!.events.map((e) => e.type)).to.deep.equal(['ClaimReleased']);
    expect(planClaims([], [{ key: email, state: { owner: 'member-2', revision: 0n } }], 'member-1', owners)).to.deep.equal([]);
    expect(planClaims([], [{ key: email, state: {} }], 'member-1', owners)).to.deep.equal([]);
    const change = planClaims(
      [{ key: other, state: {} }],
      [
        { key: email, state: { owner: 'member-1', revision: 0n } },
        { key: other, state: {} },
      ],
      'member-1',
      owners,
    );
    expect(change.map((r) => [r.streamName, r.events[0]!.type])).to.deep.equal([
      [claimStreamOf(other), 'ClaimMade'],
      [claimStreamOf(email), 'ClaimReleased'],
    ]);
  });
});
