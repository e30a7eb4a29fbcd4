import { generateKeyPairSync, sign } from 'node:crypto';
import { expect } from 'chai';
import { ApiError } from '../../../web/src/api/http.js';
import { refusalOffline, type DoorList, type Scan } from '../../../web/src/door/door-check.js';
import { syncScans } from '../../../web/src/door/sync-scans.js';
import { parseTicketCode } from '../../../web/src/door/ticket-code.js';
import { verifySignature } from '../../../web/src/door/verify-signature.js';
import { parseTicketCode as serverParse, ticketCode, ticketMessage } from '../../../src/domain/tickets/ticket-code.js';

const showId = '0b7c6a52-1111-4000-8000-000000000001';
const reservationId = `${showId}.rabcdefghij012345`;
const { privateKey, publicKey } = generateKeyPairSync('ed25519');
const keys = [{ kid: 'k1', x: publicKey.export({ format: 'jwk' }).x! }];
const codeFor = (index: number, seat: string, kid = 'k1') => {
  const message = ticketMessage(kid, { showId, reservationId, index, seat });
  return ticketCode(message, sign(null, Buffer.from(message), privateKey).toString('base64url'));
};
const list = (over: Partial<DoorList> = {}): DoorList => ({ showId, asOf: '', keys, revokedReservations: [], admitted: [], ...over });
const scan = (over: Partial<Scan>): Scan => ({
  id: 'x',
  code: codeFor(1, 'A-1-1'),
  ticketId: `${reservationId}.1`,
  showId,
  seat: 'A-1-1',
  gate: 'North',
  scannedAt: '2026-12-05T10:00:00.000Z',
  state: 'queued',
  ...over,
});

describe('web: the door scanner decides offline as the server does', () => {
  it('when a server-signed code is read, then the scanner finds the same ticket as the server, and rejects what the server rejects', () => {
    const code = codeFor(2, 'B-3-4');
    const mine = parseTicketCode(` ${code}\n`)!;
    const server = serverParse(code);
    expect(mine).to.include({ kid: 'k1', showId, reservationId, seat: 'B-3-4', ticketId: `${reservationId}.2`, message: server.message });
    expect(parseTicketCode('hello')).to.equal(undefined);
    expect(parseTicketCode(code.slice(0, -1))).to.equal(undefined);
  });

  it('when the signature is checked with WebCrypto, then a genuine code verifies, an altered one does not, an unknown key is undefined', async () => {
    const code = codeFor(1, 'A-1-1');
    expect(await verifySignature(parseTicketCode(code)!, keys)).to.equal(true);
    const altered = code.replace('A-1-1', 'A-1-2');
    expect(await verifySignature(parseTicketCode(altered)!, keys)).to.equal(false);
    expect(await verifySignature(parseTicketCode(codeFor(1, 'A-1-1', 'k9'))!, keys)).to.equal(undefined);
  });

  it('when the kept lists or this device’s scans stand against a ticket, then it is refused with the server’s code', () => {
    const scanned = parseTicketCode(codeFor(1, 'A-1-1'))!;
    expect(refusalOffline(scanned, true, showId, list(), [])).to.equal(undefined);
    expect(refusalOffline(scanned, false, showId, list(), [])).to.deep.equal({ code: 'TICKET.FORGED' });
    expect(refusalOffline(scanned, undefined, showId, list(), [])).to.deep.equal({ code: 'TICKET.UNKNOWN_KEY' });
    expect(refusalOffline(scanned, true, 'another-show', list(), [])).to.deep.equal({ code: 'TICKET.WRONG_SHOW' });
    expect(refusalOffline(scanned, true, showId, list({ revokedReservations: [reservationId] }), [])).to.deep.equal({
      code: 'TICKET.REVOKED',
    });
    const admitted = [{ ticketId: `${reservationId}.1`, gate: 'South', checkedInAt: '2026-12-05T09:00:00.000Z' }];
    expect(refusalOffline(scanned, true, showId, list({ admitted }), [])).to.deep.equal({
      code: 'TICKET.ALREADY_USED',
      gate: 'South',
      checkedInAt: '2026-12-05T09:00:00.000Z',
    });
    expect(refusalOffline(scanned, true, showId, list(), [scan({})])).to.include({ code: 'TICKET.ALREADY_USED', gate: 'North' });
    // a scan the server refused at sync does not count as admitted here
    expect(refusalOffline(scanned, true, showId, list(), [scan({ state: 'conflict' })])).to.equal(undefined);
  });

  it('when queued scans are sent, then admitted ones are synced, refused ones conflicts, our own lost answer synced, and a dead network stops the run', async () => {
    const queued = [
      scan({ id: 'a', ticketId: 't1' }),
      scan({ id: 'b', ticketId: 't2' }),
      scan({ id: 'c', ticketId: 't3' }),
      scan({ id: 'd', ticketId: 't4' }),
      scan({ id: 'e', ticketId: 't5' }),
    ];
    const used = (gate: string, checkedInAt: string) =>
      new ApiError(409, 'TICKET.ALREADY_USED', '', { code: 'TICKET.ALREADY_USED', gate, checkedInAt });
    const answers: Record<string, unknown> = {
      a: undefined,
      b: used('South', '2026-12-05T09:59:00.000Z'),
      c: used('North', '2026-12-05T10:00:01.000Z'),
      d: new ApiError(0, 'NETWORK', 'offline'),
    };
    const saved: Scan[] = [];
    const done = await syncScans(
      queued,
      async (s) => {
        if (answers[s.id]) throw answers[s.id];
      },
      async (s) => void saved.push(s),
    );
    expect(done.map((s) => [s.id, s.state])).to.deep.equal([
      ['a', 'synced'],
      ['b', 'conflict'],
      ['c', 'synced'],
    ]);
    expect(done[1]!.problem).to.deep.equal({ code: 'TICKET.ALREADY_USED', gate: 'South', checkedInAt: '2026-12-05T09:59:00.000Z' });
    expect(saved).to.deep.equal(done);
  });
});
