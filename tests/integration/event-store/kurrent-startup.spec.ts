import { expect } from 'chai';
import { createRequire } from 'node:module';
import { randomUUID } from 'node:crypto';
import { ConfigError } from '../../../src/infrastructure/config/config.js';
import { KurrentEventStore } from '../../../src/infrastructure/event-store/kurrent/kurrent-event-store.js';
import { APPEND_SESSION_PATH } from '../../../src/infrastructure/event-store/kurrent/kurrent-server-support.js';
import { rejection } from './contract-support.js';

/*
 * No KurrentDB server can run on these machines, so the start-up check and the wire shape of a
 * multi-stream append are exercised against a stand-in: a gRPC server on loopback that answers
 * the server-features call (a version and a method list) and the v2 AppendSession as the
 * protocol defines them, reached through the real @kurrent/kurrentdb-client. It proves what onsale
 * sends and how it reads the answers; whether KurrentDB answers that way is for the contract
 * suite (kurrent.spec.ts, EVENTSTORE_URL) to prove against a real server.
 */
const fromClient = createRequire(createRequire(import.meta.url).resolve('@kurrent/kurrentdb-client'));
const grpc = fromClient('@grpc/grpc-js');
const { ServerFeaturesClient } = fromClient('../generated/kurrentdb/protocols/v1/serverfeatures_grpc_pb');
const { SupportedMethods, SupportedMethod } = fromClient('../generated/kurrentdb/protocols/v1/serverfeatures_pb');
const { StreamsServiceClient } = fromClient('../generated/kurrentdb/protocols/v2/streams/streams_grpc_pb');
const { AppendSessionResponse, AppendResponse } = fromClient('../generated/kurrentdb/protocols/v2/streams/streams_pb');

interface ReceivedRequest {
  stream: string;
  expectedRevision?: string;
  records: { recordId?: string; schemaName?: string; properties: Record<string, string>; data: string }[];
}

interface StandIn {
  url: string;
  sessions: ReceivedRequest[][];
  stop(): Promise<void>;
}

interface StandInOptions {
  /** What the server-features call reports; undefined: the call is not there (servers before 21.10). */
  version?: string;
  /** Whether the feature list names AppendSession and the stand-in serves it. */
  appendSession: boolean;
}

async function standIn({ version, appendSession }: StandInOptions): Promise<StandIn> {
  const server = new grpc.Server();
  const sessions: ReceivedRequest[][] = [];
  if (version !== undefined) {
    const [, service, method] = APPEND_SESSION_PATH.split('/');
    const methods = appendSession ? [new SupportedMethod().setServiceName(service).setMethodName(method)] : [];
    server.addService(ServerFeaturesClient.service, {
      getSupportedMethods: (_call: unknown, done: (error: null, reply: unknown) => void) =>
        done(null, new SupportedMethods().setEventStoreServerVersion(version).setMethodsList(methods)),
    });
  }
  if (appendSession) {
    server.addService(StreamsServiceClient.service, {
      appendSession: (call: NodeJS.EventEmitter, done: (error: unknown, reply?: unknown) => void) => {
        const received: ReceivedRequest[] = [];
        sessions.push(received);
        call.on('data', (request: { toObject(): { stream: string; expectedRevision?: string; recordsList: RecordObject[] } }) => {
          const { stream, expectedRevision, recordsList } = request.toObject();
          received.push({ stream, expectedRevision, records: recordsList.map(toReceivedRecord) });
        });
        call.on('end', () => {
          if (received.length === 0) return done({ code: grpc.status.FAILED_PRECONDITION, details: 'append session has no requests' });
          const reply = new AppendSessionResponse().setPosition('8192');
          received.forEach((request, i) =>
            reply.addOutput(new AppendResponse().setStream(request.stream).setStreamRevision(String(i + request.records.length))),
          );
          done(null, reply);
        });
      },
      appendRecords: (_call: unknown, done: (error: { code: number }) => void) => done({ code: grpc.status.UNIMPLEMENTED }),
    });
  }
  const port = await new Promise<number>((resolve, reject) =>
    server.bindAsync('127.0.0.1:0', grpc.ServerCredentials.createInsecure(), (error: Error | null, bound: number) =>
      error ? reject(error) : resolve(bound),
    ),
  );
  return {
    url: `kurrentdb://127.0.0.1:${port}?tls=false`,
    sessions,
    stop: () => new Promise<void>((resolve) => server.tryShutdown(() => resolve())),
  };
}

interface RecordObject {
  recordId?: string;
  propertiesMap: [string, { stringValue?: string }][];
  schema?: { name: string };
  data: string | Uint8Array;
}

function toReceivedRecord(record: RecordObject): ReceivedRequest['records'][number] {
  return {
    recordId: record.recordId,
    schemaName: record.schema?.name,
    properties: Object.fromEntries(record.propertiesMap.map(([key, value]) => [key, value.stringValue ?? ''])),
    data: Buffer.from(record.data as string, 'base64').toString('utf8'),
  };
}

describe('KurrentDB adapter against a stand-in server: start-up check and the append session', () => {
  const started: StandIn[] = [];
  const start = async (options: StandInOptions) => {
    const server = await standIn(options);
    started.push(server);
    return server;
  };

  afterEach(async () => {
    for (const server of started.splice(0)) await server.stop();
  });

  it('when the server is 24.10 without the append session, then connecting fails with one line naming it and its version', async () => {
    const server = await start({ version: '24.10.6', appendSession: false });
    const error = await rejection(KurrentEventStore.connect(server.url));
    expect(error).to.be.instanceOf(ConfigError);
    expect((error as Error).message).to.equal(
      `KurrentDB at ${server.url} is version 24.10.6: onsale needs 25.1 or later for atomic multi-stream appends`,
    );
  });

  it('when the server has no server-features call, then connecting fails and says it does not report its version', async () => {
    const server = await start({ appendSession: false });
    const error = await rejection(KurrentEventStore.connect(server.url.replace('kurrentdb', 'esdb')));
    expect((error as Error).message).to.equal(
      `KurrentDB at ${server.url.replace('kurrentdb', 'esdb')} does not report its version (older than 21.10): onsale needs 25.1 or later for atomic multi-stream appends`,
    );
  });

  it('when a 25.1 server offers the append session, then a two-stream append goes out as one session and its answer is the result', async () => {
    const server = await start({ version: '25.1.0.2191', appendSession: true });
    const store = await KurrentEventStore.connect(server.url);
    try {
      const [ledger, inventory] = [randomUUID(), randomUUID()];
      const result = await store.appendMulti([
        {
          streamId: `ledger-${ledger}`,
          expected: 'no_stream',
          events: [{ id: ledger, type: 'SeatHeld', data: { seat: 'A1' }, metadata: { correlationId: 'c-1' } }],
        },
        {
          streamId: `inventory-${inventory}`,
          expected: 3,
          events: [{ id: inventory, type: 'SeatTaken', data: { seat: 'A1' }, schemaVersion: 2 }],
        },
      ]);
      expect(server.sessions).to.have.length(1);
      const [session] = server.sessions;
      expect(session!.map((r) => [r.stream, r.expectedRevision])).to.deep.equal([
        [`ledger-${ledger}`, '-1'],
        [`inventory-${inventory}`, '2'],
      ]);
      expect(session![0]!.records).to.deep.equal([
        {
          recordId: ledger,
          schemaName: 'SeatHeld',
          properties: { correlationId: 'c-1', 'json:schemaVersion': '1' },
          data: '{"seat":"A1"}',
        },
      ]);
      expect(session![1]!.records[0]!.properties).to.deep.equal({ 'json:schemaVersion': '2' });
      // the stand-in answers revision (index + events): 1 → version 2, 2 → version 3
      expect(result).to.deep.equal({ position: 8192, versions: { [`ledger-${ledger}`]: 2, [`inventory-${inventory}`]: 3 } });
    } finally {
      await store.close();
    }
  });

  it('when a 25.1 server does not list the append session, then connecting fails and names the missing call', async () => {
    const server = await start({ version: '25.1.0', appendSession: false });
    const error = await rejection(KurrentEventStore.connect(server.url));
    expect((error as Error).message).to.equal(
      `KurrentDB at ${server.url} is version 25.1.0 but does not offer StreamsService.AppendSession: onsale needs 25.1 or later for atomic multi-stream appends`,
    );
  });
});
