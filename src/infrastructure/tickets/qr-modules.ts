import { createRequire } from 'node:module';
import QRCode from 'qrcode';
import { qrSegments } from './qr-segments.js';

const require = createRequire(import.meta.url);
/** qrcode's BCH(15,5) format bits of a level and a mask (lib/core/format-info.js), as its setupFormatInfo writes them. */
const FormatInfo = require('qrcode/lib/core/format-info.js') as { getEncodedBits(level: unknown, mask: number): number };
const Level = require('qrcode/lib/core/error-correction-level.js') as { M: unknown };

/** A QR symbol's modules, row by row (1 dark), `size` a side. */
export interface QrModules {
  size: number;
  data: Uint8Array;
}

/** What qrcode's symbol carries besides the documented `get` (its BitMatrix). */
interface Matrix {
  size: number;
  data: Uint8Array;
  reservedBit: Uint8Array;
}

/**
 * The modules `QRCode.create(text, { errorCorrectionLevel: 'M' })` gives, the same bit for bit,
 * in under half its time: qrcode scores the eight masks (ISO 18004's penalty rules N1–N4) through
 * BitMatrix calls, module by module, and finds its segments with a queue it sorts on every push,
 * together most of the mail sender's time for a ticket's image. Here the symbol is made once with
 * mask 0 from the segments qrcode would choose, and the eight masks are scored on plain arrays by
 * the same rules, in the same order, the first lowest winning as in qrcode.
 */
export function qrModules(text: string): QrModules {
  // qrcode's own segments (qr-segments.ts finds them faster), its own data and error correction
  const symbol = QRCode.create(qrSegments(text) ?? text, { errorCorrectionLevel: 'M', maskPattern: 0 });
  const { size, data, reservedBit } = symbol.modules as unknown as Matrix;
  // the data modules without a mask (mask 0 taken off again)
  const plain = Uint8Array.from(data);
  applyMask(plain, reservedBit, size, 0);
  const trial = new Uint8Array(plain.length);
  let best = 0;
  let lowest = Infinity;
  for (let mask = 0; mask < 8; mask++) {
    trial.set(plain);
    setFormatInfo(trial, size, mask);
    applyMask(trial, reservedBit, size, mask);
    const score = penalty(trial, size);
    if (score < lowest) {
      lowest = score;
      best = mask;
    }
  }
  const out = Uint8Array.from(plain);
  setFormatInfo(out, size, best);
  applyMask(out, reservedBit, size, best);
  return { size, data: out };
}

function maskAt(mask: number, i: number, j: number): boolean {
  switch (mask) {
    case 0:
      return (i + j) % 2 === 0;
    case 1:
      return i % 2 === 0;
    case 2:
      return j % 3 === 0;
    case 3:
      return (i + j) % 3 === 0;
    case 4:
      return (Math.floor(i / 2) + Math.floor(j / 3)) % 2 === 0;
    case 5:
      return ((i * j) % 2) + ((i * j) % 3) === 0;
    case 6:
      return (((i * j) % 2) + ((i * j) % 3)) % 2 === 0;
    default:
      return (((i * j) % 3) + ((i + j) % 2)) % 2 === 0;
  }
}

/** Flips the data modules (not the reserved ones) where the mask is set, as qrcode's applyMask. */
function applyMask(d: Uint8Array, reserved: Uint8Array, size: number, mask: number): void {
  for (let row = 0; row < size; row++) {
    for (let col = 0; col < size; col++) {
      const at = row * size + col;
      if (!reserved[at] && maskAt(mask, row, col)) d[at]! ^= 1;
    }
  }
}

/** The 15 format bits (level M, the mask) in their two places and the dark module, as qrcode's setupFormatInfo. */
function setFormatInfo(d: Uint8Array, size: number, mask: number): void {
  const bits = FormatInfo.getEncodedBits(Level.M, mask);
  for (let i = 0; i < 15; i++) {
    const bit = (bits >> i) & 1;
    d[(i < 6 ? i : i < 8 ? i + 1 : size - 15 + i) * size + 8] = bit;
    d[8 * size + (i < 8 ? size - i - 1 : i < 9 ? 15 - i : 15 - i - 1)] = bit;
  }
  d[(size - 8) * size + 8] = 1;
}

/** N1 + N2 + N3 + N4 as qrcode's getPenaltyN1…N4 count them. */
function penalty(d: Uint8Array, size: number): number {
  let n1 = 0;
  let n3 = 0;
  for (let row = 0; row < size; row++) {
    let sameInRow = 0;
    let sameInCol = 0;
    let lastInRow = -1;
    let lastInCol = -1;
    let bitsRow = 0;
    let bitsCol = 0;
    for (let col = 0; col < size; col++) {
      const a = d[row * size + col]!;
      if (a === lastInRow) sameInRow++;
      else {
        if (sameInRow >= 5) n1 += 3 + (sameInRow - 5);
        lastInRow = a;
        sameInRow = 1;
      }
      const b = d[col * size + row]!;
      if (b === lastInCol) sameInCol++;
      else {
        if (sameInCol >= 5) n1 += 3 + (sameInCol - 5);
        lastInCol = b;
        sameInCol = 1;
      }
      bitsRow = ((bitsRow << 1) & 0x7ff) | a;
      bitsCol = ((bitsCol << 1) & 0x7ff) | b;
      if (col >= 10) {
        if (bitsRow === 0x5d0 || bitsRow === 0x05d) n3++;
        if (bitsCol === 0x5d0 || bitsCol === 0x05d) n3++;
      }
    }
    if (sameInRow >= 5) n1 += 3 + (sameInRow - 5);
    if (sameInCol >= 5) n1 += 3 + (sameInCol - 5);
  }
  let n2 = 0;
  for (let row = 0; row < size - 1; row++) {
    for (let col = 0; col < size - 1; col++) {
      const at = row * size + col;
      const sum = d[at]! + d[at + 1]! + d[at + size]! + d[at + size + 1]!;
      if (sum === 4 || sum === 0) n2++;
    }
  }
  let dark = 0;
  for (let i = 0; i < d.length; i++) dark += d[i]!;
  const n4 = Math.abs(Math.ceil((dark * 100) / d.length / 5) - 10);
  return n1 + n2 * 3 + n3 * 40 + n4 * 10;
}
