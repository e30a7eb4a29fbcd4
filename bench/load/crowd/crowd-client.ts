import { randomUUID } from 'node:crypto';
import net from 'node:net';
import { SseParser } from '../sse-parser.js';
import { ResponseReader, requestText, type Head, type ResponseHandler } from './raw-http.js';
import type { ClientJob, ClientProgress, MemberRecord } from './crowd-protocol.js';

/**
 * One client process of the crowd (forked by crowd-run.ts): holds its share of the members, each on
 * one raw socket from one of the loopback source addresses, joining on an even pace, waiting over
 * SSE or long polls, and buying one ticket when admitted. Reports progress every second and every
 * member's times at the end.
 */
const now = () => performance.timeOrigin + performance.now();

class Member implements ResponseHandler {
  socket: net.Socket | undefined;
  reader: ResponseReader | undefined;
  record: MemberRecord;
  private status = 0;
  private body = '';
  private sse: SseParser | undefined;
  private step: 'join' | 'stream' | 'poll' | 'hold' | 'confirm' | 'done' = 'join';
  private token = '';
  private attempts = 0;
  /** Counted in `crowd.streams` (its 200 head arrived), not only asked for. */
  private streamOpen = false;

  constructor(
    readonly crowd: Crowd,
    readonly id: string,
    private readonly accessToken: string,
    private readonly ip: string,
    private readonly port: number,
    private readonly holdPort: number,
    private readonly localAddress: string | undefined,
  ) {
    this.record = { memberId: id, joinSentAt: 0, joinAt: 0, streamAt: 0, knownAt: 0, boughtAt: 0, error: '' };
  }

  start(): void {
    this.connect();
    this.record.joinSentAt = now();
    this.send('POST', `/api/shows/${this.crowd.job.showId}/queue`);
  }

  private connect(port = this.port): void {
    const socket = net.connect({ host: '127.0.0.1', port, ...(this.localAddress ? { localAddress: this.localAddress } : {}) });
    socket.setNoDelay(true);
    const reader = new ResponseReader(this);
    socket.on('data', (chunk) => reader.push(chunk));
    this.reader = reader;
    socket.on('error', (error) => this.fail(`socket ${(error as NodeJS.ErrnoException).code ?? error.message}`));
    socket.on('close', () => this.closed(socket));
    this.socket = socket;
  }

  private send(method: string, path: string, extra: Record<string, string> = {}, body?: unknown): void {
    const headers = { authorization: `Bearer ${this.accessToken}`, 'x-forwarded-for': this.ip, ...extra };
    this.socket!.write(requestText(method, path, headers, body));
  }

  /** A long poll: the answer waits for admission, or 25 s (then ask again). */
  private waitHeader(): Record<string, string> {
    return { prefer: 'wait=25' };
  }

  head({ status }: Head): void {
    this.status = status;
    this.body = '';
    if (this.step === 'stream') {
      if (status !== 200) return this.fail(`stream ${status}`);
      this.record.streamAt = now();
      this.streamOpen = true;
      this.crowd.streams++;
      this.sse = new SseParser();
    }
  }

  data(text: string): void {
    if (this.step !== 'stream') {
      this.body += text;
      return;
    }
    for (const event of this.sse!.push(text)) {
      if (event.event === 'position') continue;
      if (event.event === 'admitted') return this.admitted(JSON.parse(event.data).admissionToken);
      return this.fail(`stream ${event.event}`);
    }
  }

  end(): void {
    const body = this.body ? (JSON.parse(this.body) as Record<string, any>) : {};
    switch (this.step) {
      case 'join':
      case 'poll':
        return this.placed(body);
      case 'stream':
        return this.fail('stream ended');
      case 'hold':
        if (this.status !== 201) return this.fail(`hold ${this.status} ${body.code ?? ''}`);
        this.step = 'confirm';
        return this.send('POST', `/api/holds/${body.holdId}/confirm`, { 'idempotency-key': randomUUID() });
      case 'confirm':
        if (this.status !== 201) return this.fail(`confirm ${this.status} ${body.code ?? ''}`);
        this.record.boughtAt = now();
        this.crowd.bought++;
        return this.finish();
    }
  }

  /** The answer to a join or a (long) poll. */
  private placed(body: Record<string, any>): void {
    if (this.status !== 200) {
      this.crowd.count(`${this.step} ${this.status} ${body.code ?? ''}`);
      if (this.attempts++ < 3 && (this.status === 429 || this.status === 503)) {
        this.step = 'join';
        setTimeout(() => this.step === 'join' && this.send('POST', `/api/shows/${this.crowd.job.showId}/queue`), 1000);
        return;
      }
      return this.fail(`${this.step} ${this.status}`);
    }
    if (this.step === 'join') {
      this.record.joinAt = now();
      this.crowd.joined++;
    }
    if (body.state === 'admitted') return this.admitted(body.admissionToken);
    if (body.state !== 'waiting') return this.fail(`${this.step} ${body.state}`);
    if (this.crowd.job.wait === 'long-poll') {
      this.step = 'poll';
      return this.send('GET', `/api/shows/${this.crowd.job.showId}/queue`, this.waitHeader());
    }
    this.step = 'stream';
    // on the join's connection, as a browser would; the Upgrade has the server hand the socket over (Nginx sends it)
    const upgrade: Record<string, string> = this.crowd.job.streamUpgrade ? { connection: 'Upgrade', upgrade: 'onsale-events' } : {};
    this.send('GET', `/api/shows/${this.crowd.job.showId}/queue/events`, { accept: 'text/event-stream', ...upgrade });
  }

  private admitted(token: string): void {
    this.record.knownAt = now();
    this.crowd.admitted++;
    this.token = token;
    if (!this.crowd.job.buy) return this.finish();
    // a stream stays open until its socket closes: buy on a connection of its own
    if (this.step === 'stream') {
      this.streamClosed();
      this.reader!.stop();
      this.socket!.destroy();
      // its worker's booking port when it has one: an accept queue the crowd's joins do not fill
      this.connect(this.holdPort);
    }
    this.step = 'hold';
    this.send(
      'POST',
      `/api/shows/${this.crowd.job.showId}/holds`,
      { 'admission-token': this.token, 'idempotency-key': randomUUID() },
      {
        quantity: 1,
      },
    );
  }

  private closed(socket: net.Socket): void {
    if (socket === this.socket && this.step !== 'done' && !this.crowd.ending) this.fail('connection closed');
  }

  fail(reason: string): void {
    if (this.step === 'done') return;
    this.record.error = reason;
    this.crowd.count(reason);
    this.crowd.errors++;
    this.finish();
  }

  private streamClosed(): void {
    if (this.streamOpen) this.crowd.streams--;
    this.streamOpen = false;
  }

  finish(): void {
    this.streamClosed();
    this.step = 'done';
    this.reader?.stop();
    this.socket?.destroy();
    this.socket = undefined;
    this.reader = undefined;
  }

  get waiting(): boolean {
    return this.step === 'stream' || this.step === 'poll' || (this.step === 'join' && this.record.joinAt > 0);
  }
}

class Crowd {
  joined = 0;
  streams = 0;
  admitted = 0;
  bought = 0;
  errors = 0;
  ending = false;
  readonly reasons = new Map<string, number>();
  readonly members: Member[];

  constructor(readonly job: ClientJob) {
    this.members = job.members.map(
      (m, i) =>
        new Member(
          this,
          m.id,
          m.accessToken,
          m.ip,
          job.ports[(job.offset + i) % job.ports.length]!,
          job.holdPorts[(job.offset + i) % job.ports.length]!,
          job.sourceAddresses.length ? job.sourceAddresses[(job.offset + i) % job.sourceAddresses.length] : undefined,
        ),
    );
  }

  count(reason: string): void {
    this.reasons.set(reason, (this.reasons.get(reason) ?? 0) + 1);
  }

  progress(): ClientProgress {
    let waiting = 0;
    for (const member of this.members) if (member.waiting) waiting++;
    return {
      type: 'progress',
      at: now(),
      joined: this.joined,
      waiting,
      streams: this.streams,
      admitted: this.admitted,
      bought: this.bought,
      errors: this.errors,
    };
  }

  /** Starts members on an even pace over `joinSeconds`, from `startAt`. */
  run(): void {
    const { startAt, joinSeconds, endAt } = this.job;
    let next = 0;
    const pace = setInterval(() => {
      const due = Math.min(this.members.length, Math.ceil(((now() - startAt) / (joinSeconds * 1000)) * this.members.length));
      while (next < due) this.members[next++]!.start();
      if (next >= this.members.length) clearInterval(pace);
    }, 10);
    const report = setInterval(() => process.send!(this.progress()), 1000);
    setTimeout(() => {
      clearInterval(pace);
      clearInterval(report);
      this.ending = true;
      process.send!(this.progress());
      for (const member of this.members) member.socket?.destroy();
      process.send!({ type: 'result', records: this.members.map((m) => m.record), reasons: Object.fromEntries(this.reasons) }, () =>
        process.exit(0),
      );
    }, endAt - now());
  }
}

process.once('message', (job: ClientJob) => {
  const delay = Math.max(0, job.startAt - now());
  setTimeout(() => new Crowd(job).run(), delay);
});
