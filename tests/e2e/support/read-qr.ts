import jsQRModule from 'jsqr';

// jsqr is CommonJS and its module.exports is the function, while its types say `export default`.
const jsQR = ((jsQRModule as unknown as { default?: unknown }).default ?? jsQRModule) as typeof jsQRModule.default;

/** The text of the QR code in an RGBA image, or undefined when none is found. */
export function readQr(rgba: Uint8ClampedArray, width: number, height: number): string | undefined {
  return jsQR(rgba, width, height)?.data;
}
