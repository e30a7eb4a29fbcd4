import { expect } from 'chai';
import { generateKeyPairSync, randomBytes, randomUUID, sign } from 'node:crypto';
import QRCode from 'qrcode';
import { qrModules } from '../../../../src/infrastructure/tickets/qr-modules.js';

/** Ticket codes as the signer writes them (kid, show, reservation, index, seat, Ed25519 signature). */
function ticketCodes(count: number): string[] {
  const { privateKey } = generateKeyPairSync('ed25519');
  return Array.from({ length: count }, (_, i) => {
    const kid = randomBytes(4)
      .toString('hex')
      .slice(0, 1 + (i % 8));
    const seat = i % 3 === 0 ? 'GA' : `${'ABZ'[i % 3]}${i % 10}-${1 + (i % 40)}-${1 + (i % 30)}`;
    const message = `${kid}.${randomUUID()}.r${randomBytes(16)
      .toString('hex')
      .slice(0, 16 + (i % 17))}.${1 + (i % 12)}.${seat}`;
    return `${message}.${sign(null, Buffer.from(message), privateKey).toString('base64url')}`;
  });
}

describe('QR modules for ticket images', () => {
  it('when ticket codes and other texts are drawn, then the modules are those of qrcode with its own mask choice, bit for bit', () => {
    const texts = [
      ...ticketCodes(300),
      'hello',
      'HELLO WORLD 123',
      '0123456789',
      'x'.repeat(400),
      '티켓 QR',
      randomBytes(90).toString('base64'),
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
