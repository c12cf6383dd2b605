import type { IncomingMessage } from 'node:http';
import { RawData, WebSocket } from 'ws';

/** A frame as it came off the wire, with its JSON when it was JSON text. */
export interface ReceivedFrame {
  bytes: Buffer;
  text: string;
  binary: boolean;
  message?: { type?: unknown; payload?: any; [key: string]: unknown };
}

export interface CloseEvent {
  code: number;
  reason: string;
}

const DEFAULT_TIMEOUT_MS = 10_000;

/**
 * A real WebSocket client for protocol tests: it keeps every frame it receives, in order, and
 * lets a test await "the next message of type X" (each message is handed out once) or its close.
 */
export class SignalClient {
  readonly frames: ReceivedFrame[] = [];
  readonly errors: Error[] = [];
  readonly closed: Promise<CloseEvent>;
  private closeEvent?: CloseEvent;
  private readonly taken = new Set<ReceivedFrame>();
  private readonly watchers = new Set<() => void>();

  private constructor(readonly socket: WebSocket) {
    socket.on('message', (data: RawData, isBinary: boolean) => {
      const bytes = Buffer.isBuffer(data) ? data : Array.isArray(data) ? Buffer.concat(data) : Buffer.from(data);
      const text = bytes.toString('utf8');
      const frame: ReceivedFrame = { bytes, text, binary: isBinary };
      if (!isBinary) {
        try {
          frame.message = JSON.parse(text);
        } catch {
          // Kept as text: a test may compare it raw.
        }
      }
      this.frames.push(frame);
      this.notify();
    });
    socket.on('error', (error) => this.errors.push(error));
    this.closed = new Promise((resolve) => {
      socket.once('close', (code, reason) => {
        this.closeEvent = { code, reason: reason.toString() };
        resolve(this.closeEvent);
        this.notify();
      });
    });
  }

  /** Opens a connection; frames that arrive right after the handshake are kept too. */
  static connect(url: string, timeoutMs = DEFAULT_TIMEOUT_MS): Promise<SignalClient> {
    const client = new SignalClient(new WebSocket(url));
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no WebSocket handshake with ${url} within ${timeoutMs} ms`)), timeoutMs);
      client.socket.once('open', () => {
        clearTimeout(timer);
        resolve(client);
      });
      client.socket.once('error', (error) => {
        clearTimeout(timer);
        reject(error);
      });
    });
  }

  /** Tries a handshake the server should refuse; resolves with the HTTP status it answered. */
  static refusal(url: string, timeoutMs = DEFAULT_TIMEOUT_MS): Promise<number> {
    const socket = new WebSocket(url);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no answer to the handshake with ${url} within ${timeoutMs} ms`)), timeoutMs);
      socket.once('unexpected-response', (request, response: IncomingMessage) => {
        clearTimeout(timer);
        response.resume();
        request.destroy();
        resolve(response.statusCode ?? 0);
      });
      socket.once('open', () => {
        clearTimeout(timer);
        socket.terminate();
        reject(new Error(`the server accepted a handshake on ${url}`));
      });
      socket.on('error', (error) => {
        clearTimeout(timer);
        reject(error);
      });
    });
  }

  get isClosed(): boolean {
    return this.closeEvent !== undefined;
  }

  /** Parsed messages of one type received so far, taken or not. */
  ofType(type: string): NonNullable<ReceivedFrame['message']>[] {
    return this.frames.filter((frame) => frame.message?.type === type).map((frame) => frame.message!);
  }

  /** The next message of `type` not handed out yet, waiting for it when it has not come. */
  async next(type: string, timeoutMs = DEFAULT_TIMEOUT_MS): Promise<NonNullable<ReceivedFrame['message']>> {
    const frame = await this.nextFrame((candidate) => candidate.message?.type === type, `a "${type}" message`, timeoutMs);
    return frame.message!;
  }

  /** The next frame `matches` accepts, not handed out yet. */
  nextFrame(matches: (frame: ReceivedFrame) => boolean, what = 'a matching frame', timeoutMs = DEFAULT_TIMEOUT_MS): Promise<ReceivedFrame> {
    return this.waitFor(
      () => {
        const frame = this.frames.find((candidate) => !this.taken.has(candidate) && matches(candidate));
        if (frame) this.taken.add(frame);
        return frame;
      },
      what,
      timeoutMs,
    );
  }

  /** Waits until `condition` holds over what has been received (it is checked on every frame and close). */
  until(condition: () => boolean, what: string, timeoutMs = DEFAULT_TIMEOUT_MS): Promise<void> {
    return SignalClient.until([this], condition, what, timeoutMs);
  }

  /** The same over several clients: `condition` is checked whenever any of them receives a frame or closes. */
  static until(clients: SignalClient[], condition: () => boolean, what: string, timeoutMs = DEFAULT_TIMEOUT_MS): Promise<void> {
    return new Promise((resolve, reject) => {
      const check = () => {
        if (condition()) finish(resolve);
      };
      const finish = (settle: () => void) => {
        clearTimeout(timer);
        for (const client of clients) client.watchers.delete(check);
        settle();
      };
      const timer = setTimeout(
        () => finish(() => reject(new Error(`${what} did not happen within ${timeoutMs} ms; received: ${clients.map((client) => client.describe()).join(' / ')}`))),
        timeoutMs,
      );
      for (const client of clients) client.watchers.add(check);
      check();
    });
  }

  /** Waits for the close and gives its code and reason. */
  async closedWithin(timeoutMs = DEFAULT_TIMEOUT_MS): Promise<CloseEvent> {
    return this.waitFor(() => this.closeEvent, 'the connection to close', timeoutMs, { evenAfterClose: true });
  }

  send(data: string | Buffer | object): void {
    this.socket.send(typeof data === 'string' || Buffer.isBuffer(data) ? data : JSON.stringify(data));
  }

  /** Sends and resolves once the frame has been written to the socket. */
  sendNow(data: string | Buffer, options: { binary?: boolean } = {}): Promise<void> {
    return new Promise((resolve, reject) => this.socket.send(data, { binary: options.binary ?? Buffer.isBuffer(data) }, (error) => (error ? reject(error) : resolve())));
  }

  /** Ends the connection without a closing handshake. */
  terminate(): void {
    this.socket.terminate();
  }

  private waitFor<T>(find: () => T | undefined, what: string, timeoutMs: number, options: { evenAfterClose?: boolean } = {}): Promise<T> {
    return new Promise((resolve, reject) => {
      const watcher = () => {
        const found = find();
        if (found !== undefined) return finish(() => resolve(found));
        if (this.closeEvent && !options.evenAfterClose) {
          finish(() => reject(new Error(`closed (${this.closeEvent!.code} ${this.closeEvent!.reason}) before ${what}; received: ${this.describe()}`)));
        }
      };
      const finish = (settle: () => void) => {
        clearTimeout(timer);
        this.watchers.delete(watcher);
        settle();
      };
      const timer = setTimeout(() => finish(() => reject(new Error(`no ${what} within ${timeoutMs} ms; received: ${this.describe()}`))), timeoutMs);
      this.watchers.add(watcher);
      watcher();
    });
  }

  private notify(): void {
    for (const watcher of [...this.watchers]) watcher();
  }

  private describe(): string {
    const types = this.frames.map((frame) => (frame.binary ? '<binary>' : typeof frame.message?.type === 'string' ? frame.message.type : frame.text.slice(0, 40)));
    return `[${types.slice(0, 30).join(', ')}${types.length > 30 ? `, … ${types.length} in all` : ''}]`;
  }
}
