interface Detector {
  detect(source: CanvasImageSource): Promise<Array<{ rawValue: string }>>;
}
interface DetectorClass {
  new (options: { formats: string[] }): Detector;
  getSupportedFormats(): Promise<string[]>;
}

const EVERY_MS = 200;
/** The same code seen again within this time is the same scan (the ticket is still in front of the camera). */
const SAME_SCAN_MS = 4000;

/** The browser's own QR reader where it has one (Android, ChromeOS, macOS), else jsQR over the video's frames. */
async function reader(): Promise<(video: HTMLVideoElement, canvas: HTMLCanvasElement) => Promise<string | undefined>> {
  const Native = (globalThis as { BarcodeDetector?: DetectorClass }).BarcodeDetector;
  if (Native && (await Native.getSupportedFormats()).includes('qr_code')) {
    const detector = new Native({ formats: ['qr_code'] });
    return async (video) => (await detector.detect(video))[0]?.rawValue;
  }
  const { default: jsQR } = await import('jsqr');
  return async (video, canvas) => {
    const { videoWidth: width, videoHeight: height } = video;
    if (!width || !height) return undefined;
    canvas.width = width;
    canvas.height = height;
    const draw = canvas.getContext('2d', { willReadFrequently: true })!;
    draw.drawImage(video, 0, 0, width, height);
    return jsQR(draw.getImageData(0, 0, width, height).data, width, height, { inversionAttempts: 'dontInvert' })?.data;
  };
}

/** Reads QR codes from the back camera into `video` and calls `onCode` once per code shown; returns the stop. */
export async function startCamera(video: HTMLVideoElement, onCode: (text: string) => void): Promise<() => void> {
  const stream = await navigator.mediaDevices.getUserMedia({ video: { facingMode: 'environment' }, audio: false });
  video.srcObject = stream;
  await video.play();
  const read = await reader();
  const canvas = document.createElement('canvas');
  let last = { text: '', at: 0 };
  let stopped = false;
  const tick = async () => {
    if (stopped) return;
    const text = await read(video, canvas).catch(() => undefined);
    if (text && (text !== last.text || Date.now() - last.at > SAME_SCAN_MS)) onCode(text);
    if (text) last = { text, at: Date.now() };
    setTimeout(() => void tick(), EVERY_MS);
  };
  void tick();
  return () => {
    stopped = true;
    for (const track of stream.getTracks()) track.stop();
    video.srcObject = null;
  };
}
