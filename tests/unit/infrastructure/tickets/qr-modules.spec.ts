import { expect } from 'chai';
import { createHash } from 'node:crypto';
import QRCode from 'qrcode';
import { qrModules } from '../../../../src/infrastructure/tickets/qr-modules.js';

/** Ticket-code shapes (kid, show, reservation, index, seat, 86 characters of signature), the same every run. */
function ticketCodes(count: number): string[] {
  const hex = (seed: string, length: number) => createHash('sha256').update(seed).digest('hex').slice(0, length);
  return Array.from({ length: count }, (_, i) => {
    const show = `${hex(`s${i}`, 8)}-${hex(`t${i}`, 4)}-4${hex(`u${i}`, 3)}-a${hex(`v${i}`, 3)}-${hex(`w${i}`, 12)}`;
    const seat = i % 3 === 0 ? 'GA' : `${'ABZ'[i % 3]}${i % 10}-${1 + (i % 40)}-${1 + (i % 30)}`;
    const signature = createHash('sha512').update(`sig${i}`).digest('base64url').slice(0, 86);
    return `${hex(`k${i}`, 1 + (i % 8))}.${show}.r${hex(`r${i}`, 16 + (i % 17))}.${1 + (i % 12)}.${seat}.${signature}`;
  });
}

describe('QR modules for ticket images', () => {
  it('when ticket codes and other texts are drawn, then the modules are those of qrcode with its own mask choice, bit for bit', () => {
    const texts = [
      ...ticketCodes(300),
      // short texts, among them some whose best mask is 1 (rare among ticket codes)
      ...Array.from({ length: 300 }, (_, i) => `ticket ${i}`),
      'hello',
      'HELLO WORLD 123',
      '0123456789',
      'x'.repeat(400),
      '티켓 QR',
      createHash('sha512').update('x').digest('base64').repeat(2),
    ];
    const masks = new Set<number>();
    for (const text of texts) {
      const reference = QRCode.create(text, { errorCorrectionLevel: 'M' });
      const ours = qrModules(text);
      masks.add(reference.maskPattern ?? -1);
      expect(ours.size, text).to.equal(reference.modules.size);
      expect(Buffer.from(ours.data).equals(Buffer.from(reference.modules.data)), text).to.equal(true);
    }
    // the texts reach every mask, so each mask's scoring is compared
    expect([...masks].sort()).to.deep.equal([0, 1, 2, 3, 4, 5, 6, 7]);
  });
});
