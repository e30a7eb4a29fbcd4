import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

export interface ReceivedMail {
  from: string;
  to: string[];
  raw: string;
}

/** The SMTP sink (`smtp-sink.ts`) as a child process, and the mails it has received. */
export class SmtpSink {
  readonly received: ReceivedMail[] = [];

  private constructor(
    private readonly child: ChildProcess,
    readonly port: number,
  ) {}

  get url(): string {
    return `smtp://127.0.0.1:${this.port}`;
  }

  static start(): Promise<SmtpSink> {
    const script = fileURLToPath(new URL('./smtp-sink.ts', import.meta.url));
    const child = spawn(process.execPath, ['--import', 'tsx', script], { stdio: ['ignore', 'pipe', 'inherit'] });
    return new Promise((resolve, reject) => {
      let sink: SmtpSink | undefined;
      child.once('error', reject);
      child.once('exit', (code) => sink || reject(new Error(`the SMTP sink exited with ${code}`)));
      createInterface({ input: child.stdout! }).on('line', (line) => {
        const message = JSON.parse(line) as { port?: number } & ReceivedMail;
        if (!sink && message.port) resolve((sink = new SmtpSink(child, message.port)));
        else sink?.received.push(message);
      });
    });
  }

  /** The first mail received to `address` for which `match` holds, waiting up to 15 s. */
  async mailTo(address: string, match: (mail: ReadMail) => boolean = () => true): Promise<ReadMail> {
    return (await this.mailsTo((to) => to === address, 1, match))[0]!;
  }

  /**
   * The mails received to an address that `to` accepts and for which `match` holds, once there are
   * at least `count` of them, waiting up to 15 s. A sender sees the server's reply before the sink's
   * line about the mail reaches this process, so a test waits for what it expects, never reads
   * `received` right after a send.
   */
  async mailsTo(to: (address: string) => boolean, count: number, match: (mail: ReadMail) => boolean = () => true): Promise<ReadMail[]> {
    const end = Date.now() + 15_000;
    for (;;) {
      const found = this.received
        .filter((m) => m.to.some(to))
        .map(readMail)
        .filter(match);
      if (found.length >= count) return found;
      if (Date.now() > end) throw new Error(`${found.length} of ${count} mails in 15 s (${this.received.length} received)`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }

  stop(): void {
    this.child.kill('SIGTERM');
  }
}

export interface ReadMail {
  raw: string;
  subject: string;
  messageId: string;
  text: string;
  html: string;
}

/** Just enough MIME to check what a mail says: headers' encoded words, and text/html parts in base64 or quoted-printable. */
export function readMail({ raw }: { raw: string }): ReadMail {
  const head = raw.split(/\r?\n\r?\n/)[0]!.replace(/\r?\n[ \t]+/g, ' ');
  const header = (name: string) => new RegExp(`^${name}: (.*)$`, 'mi').exec(head)?.[1] ?? '';
  return {
    raw,
    subject: decodeWords(header('Subject')),
    messageId: header('Message-ID'),
    text: part(raw, 'text/plain'),
    html: part(raw, 'text/html'),
  };
}

function decodeWords(value: string): string {
  return value
    .replace(/\?=\s+=\?/g, '?==?')
    .replace(/=\?utf-8\?([bq])\?([^?]*)\?=/gi, (_, encoding: string, text: string) =>
      encoding.toLowerCase() === 'b' ? Buffer.from(text, 'base64').toString('utf8') : quotedPrintable(text.replace(/_/g, ' ')),
    );
}

function quotedPrintable(text: string): string {
  const bytes = text.replace(/=\r?\n/g, '').replace(/=([0-9A-F]{2})/gi, (_, hex: string) => String.fromCharCode(parseInt(hex, 16)));
  return Buffer.from(bytes, 'latin1').toString('utf8');
}

function part(raw: string, type: string): string {
  const match = new RegExp(`Content-Type: ${type}[^]*?\\r?\\n\\r?\\n([^]*?)(?:\\r?\\n--|$)`, 'i').exec(raw);
  if (!match) return '';
  const headers = raw.slice(match.index, match.index + match[0].length - match[1]!.length);
  const body = match[1]!;
  if (/Content-Transfer-Encoding: base64/i.test(headers)) return Buffer.from(body.replace(/\s+/g, ''), 'base64').toString('utf8');
  if (/Content-Transfer-Encoding: quoted-printable/i.test(headers)) return quotedPrintable(body);
  return body;
}
