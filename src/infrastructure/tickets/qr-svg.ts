import QRCode from 'qrcode';

/** A ticket code as an SVG QR code (error correction M: survives a scratched phone screen). */
export function qrSvg(code: string): Promise<string> {
  return QRCode.toString(code, { type: 'svg', errorCorrectionLevel: 'M', margin: 2 });
}
