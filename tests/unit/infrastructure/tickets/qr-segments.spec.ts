import { expect } from 'chai';
import { randomBytes, randomUUID } from 'node:crypto';
import QRCode from 'qrcode';
import { qrSegments } from '../../../../src/infrastructure/tickets/qr-segments.js';

/** Texts of every mix: ticket-code shapes, upper-case runs (alphanumeric), digit runs of every length, non-Latin. */
function texts(): string[] {
  const mixed = () => Array.from({ length: 80 }, () => '0123456789ABC-abc. :'[Math.floor(Math.random() * 20)]).join('');
  return [
    'hello',
    'HELLO WORLD 123',
    '0123456789',
    '티켓 QR',
    'a1b22c333d4444e55555F666666G7777777',
    ...Array.from(
      { length: 300 },
      (_, i) =>
        `${randomBytes(3).toString('hex')}.${randomUUID()}.r${randomBytes(12).toString('hex')}.${i}.A${i % 9}-${i}-${i % 7}.${randomBytes(64).toString('base64url')}`,
    ),
    ...Array.from({ length: 100 }, () => randomBytes(60).toString('base64').toUpperCase()),
    ...Array.from({ length: 200 }, mixed),
  ];
}

const shape = (symbol: QRCode.QRCode) => ({
  version: symbol.version,
  segments: symbol.segments.map((segment) => [segment.mode.id, segment.getLength()]),
  modules: Buffer.from(symbol.modules.data).toString('base64'),
});

describe('QR segments for ticket images', () => {
  it('when a text is split into segments, then they are the ones qrcode chooses itself, and so is the symbol', () => {
    for (const text of texts()) {
      const ours = qrSegments(text);
      expect(ours, text).to.not.equal(undefined);
      expect(shape(QRCode.create(ours!, { errorCorrectionLevel: 'M' })), text).to.deep.equal(
        shape(QRCode.create(text, { errorCorrectionLevel: 'M' })),
      );
    }
  });
});
