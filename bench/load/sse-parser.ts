/** One Server-Sent Event: its `event` name ("message" when none) and its data lines joined by "\n". */
export interface SseEvent {
  event: string;
  data: string;
}

/**
 * The text/event-stream format read as it arrives: text may be split anywhere, lines end in
 * "\n", "\r\n" or "\r", a blank line ends an event, ":" starts a comment. An event without data
 * (such as `retry: 5000`) is not dispatched, as EventSource does.
 */
export class SseParser {
  /** Comment lines seen (`: keep-alive`). */
  comments = 0;
  /** The server's `retry:` advice, when it gave one. */
  retryMs: number | undefined;
  private buffer = '';
  private event = '';
  private data: string[] = [];

  /** Takes the next piece of decoded text; returns the events it completed. */
  push(text: string): SseEvent[] {
    this.buffer += text;
    const events: SseEvent[] = [];
    let start = 0;
    for (let i = 0; i < this.buffer.length; i++) {
      const char = this.buffer[i];
      if (char !== '\n' && char !== '\r') continue;
      // a "\r" at the very end may be the first half of "\r\n": wait for the next piece
      if (char === '\r' && i === this.buffer.length - 1) break;
      const event = this.line(this.buffer.slice(start, i));
      if (event) events.push(event);
      if (char === '\r' && this.buffer[i + 1] === '\n') i++;
      start = i + 1;
    }
    this.buffer = this.buffer.slice(start);
    return events;
  }

  private line(line: string): SseEvent | undefined {
    if (line === '') {
      const event = this.data.length > 0 ? { event: this.event || 'message', data: this.data.join('\n') } : undefined;
      this.event = '';
      this.data = [];
      return event;
    }
    if (line.startsWith(':')) {
      this.comments++;
      return undefined;
    }
    const colon = line.indexOf(':');
    const field = colon < 0 ? line : line.slice(0, colon);
    const raw = colon < 0 ? '' : line.slice(colon + 1);
    const value = raw.startsWith(' ') ? raw.slice(1) : raw;
    if (field === 'event') this.event = value;
    else if (field === 'data') this.data.push(value);
    else if (field === 'retry' && /^\d+$/.test(value)) this.retryMs = Number(value);
    return undefined;
  }
}
