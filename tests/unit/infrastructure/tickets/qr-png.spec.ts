import { expect } from 'chai';
import { createHash } from 'node:crypto';
import { inflateSync } from 'node:zlib';
import { qrPng } from '../../../../src/infrastructure/tickets/qr-png.js';
import { readQr } from '../../../e2e/support/read-qr.js';

/** The PNG's chunks by type, each checked against its CRC. */
function chunks(png: Buffer): Map<string, Buffer[]> {
  expect([...png.subarray(0, 8)]).to.deep.equal([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  const found = new Map<string, Buffer[]>();
  for (let at = 8; at < png.length;) {
    const length = png.readUInt32BE(at);
    const type = png.toString('ascii', at + 4, at + 8);
    found.set(type, [...(found.get(type) ?? []), png.subarray(at + 8, at + 8 + length)]);
    at += 12 + length;
  }
  return found;
}

/** Decodes the 1-bit greyscale PNG qrPng writes into RGBA pixels. */
function rgbaOf(png: Buffer): { rgba: Uint8ClampedArray; width: number; height: number } {
  const parts = chunks(png);
  const header = parts.get('IHDR')![0]!;
  const [width, height] = [header.readUInt32BE(0), header.readUInt32BE(4)];
  expect([...header.subarray(8)]).to.deep.equal([1, 0, 0, 0, 0]);
  const raw = inflateSync(Buffer.concat(parts.get('IDAT')!));
  const rowBytes = Math.ceil(width / 8);
  const rgba = new Uint8ClampedArray(width * height * 4);
  for (let y = 0; y < height; y++) {
    expect(raw[y * (rowBytes + 1)], 'filter byte').to.equal(0);
    for (let x = 0; x < width; x++) {
      const light = (raw[y * (rowBytes + 1) + 1 + (x >> 3)]! >> (7 - (x & 7))) & 1;
      rgba.fill(light ? 255 : 0, (y * width + x) * 4, (y * width + x) * 4 + 3);
      rgba[(y * width + x) * 4 + 3] = 255;
    }
  }
  return { rgba, width, height };
}

describe('ticket QR codes as PNG (for mail)', () => {
  it('when a ticket code is drawn, then a QR reader gets the code back from the PNG', () => {
    const code = 'k1.5f1c6a3e-1d2b-4c4d-9e8f-0a1b2c3d4e5f.r0123456789abcdef.0.A-12-7.' + 'Qm9va2VkIG9uY2UsIGFkbWl0dGVkIG9uY2U'.repeat(2);
    const png = qrPng(code);
    const { rgba, width, height } = rgbaOf(png);
    expect(width).to.equal(height);
    expect(readQr(rgba, width, height)).to.equal(code);
    expect(png.length, 'a small attachment').to.be.below(8_000);
  });

  it('when a ticket code is drawn, then the PNG is byte for byte the one drawn before the faster QR modules (qr-modules.ts)', () => {
    // SHA-256 of the PNGs that qrcode's own create (its segment search and mask choice) gave
    const code =
      'k1.5f1c6a3e-1d2b-4c4d-9e8f-0a1b2c3d4e5f.r0123456789abcdef.1.A-12-7.' +
      'Qm9va2VkIG9uY2UsIGFkbWl0dGVkIG9uY2U'.repeat(2) +
      'AbCdEfGhIjKlMnOp';
    const sha256 = (png: Buffer) => createHash('sha256').update(png).digest('hex');
    expect(sha256(qrPng(code))).to.equal('74ac8e2434485ef1777f202e69fb98ec35fded24e9064522bec45557ce3c7e1b');
    expect(sha256(qrPng('hello', 4))).to.equal('de5ff76f9e7dd6bc5c5c76cdfff8c7853dd7cc149cdf043a70e00f02fceac3e0');
  });

  it('when the scale changes, then each module is that many pixels with a quiet zone of two modules', () => {
    const { width } = rgbaOf(qrPng('hello', 4));
    const small = rgbaOf(qrPng('hello', 1));
    expect(width).to.equal(small.width * 4);
    // version 1 (21 modules) plus two modules of quiet zone on each side
    expect(small.width).to.equal(25);
    expect(readQr(rgbaOf(qrPng('hello', 4)).rgba, width, width)).to.equal('hello');
  });
});
