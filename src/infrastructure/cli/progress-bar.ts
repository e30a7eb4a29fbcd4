/** A one-line progress bar on stderr (a line every few seconds when stderr is not a terminal). */
export class ProgressBar {
  private readonly started = performance.now();
  private lastDraw: number;

  constructor(
    private readonly label: string,
    private readonly stream: NodeJS.WriteStream = process.stderr,
  ) {
    // Not a terminal (a log file, a test): the first line comes after a few seconds, if at all.
    this.lastDraw = stream.isTTY ? 0 : this.started;
  }

  update(done: number, total: number, force = false): void {
    const now = performance.now();
    const every = this.stream.isTTY ? 100 : 5000;
    if (!force && now - this.lastDraw < every) return;
    this.lastDraw = now;
    const ratio = total > 0 ? Math.min(1, done / total) : 1;
    const width = 30;
    const filled = Math.round(ratio * width);
    const rate = done / Math.max((now - this.started) / 1000, 1e-3);
    const line =
      `${this.label} [${'#'.repeat(filled)}${'-'.repeat(width - filled)}] ${(ratio * 100).toFixed(0).padStart(3)}% ` +
      `${done.toLocaleString('en-US')}/${total.toLocaleString('en-US')} events ${Math.round(rate).toLocaleString('en-US')} events/s`;
    this.stream.write(this.stream.isTTY ? `\r${line}\x1b[K` : `${line}\n`);
  }

  finish(): void {
    if (this.stream.isTTY) this.stream.write('\n');
  }
}
