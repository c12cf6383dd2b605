import { RequestOf, ResponseOf, Subject } from '@vidivo/contracts';
import { MessageBus } from '@vidivo/platform';
import { PublicPart } from './stand-in';

type Answer<S extends Subject> = (payload: RequestOf<S>) => ResponseOf<S> | Promise<ResponseOf<S>>;

/**
 * The other apps as a spec scripts them: each subject answered by a function, which may throw an
 * AppError as a remote app's error reply arrives. A subject nobody scripted fails the request.
 */
export class ScriptedBus implements PublicPart<MessageBus> {
  readonly requests: Array<{ subject: Subject; payload: unknown }> = [];
  private readonly answers = new Map<Subject, (payload: unknown) => unknown>();

  answer<S extends Subject>(subject: S, answer: Answer<S>): this {
    this.answers.set(subject, answer as (payload: unknown) => unknown);
    return this;
  }

  async request<S extends Subject>(subject: S, payload: RequestOf<S>): Promise<ResponseOf<S>> {
    this.requests.push({ subject, payload });
    const answer = this.answers.get(subject);
    if (!answer) throw new Error(`Nothing answers ${subject} in this spec`);
    return (await answer(payload)) as ResponseOf<S>;
  }

  /** The payloads sent to a subject, in order. */
  sent<S extends Subject>(subject: S): Array<RequestOf<S>> {
    return this.requests.filter((request) => request.subject === subject).map((request) => request.payload as RequestOf<S>);
  }

  async isConnected(): Promise<boolean> {
    return true;
  }

  async onApplicationShutdown(): Promise<void> {}
}
