import { CallHandler, ExecutionContext, Injectable, Logger, NestInterceptor } from '@nestjs/common';
import { Observable, tap } from 'rxjs';
import { busHandleDuration, handlingOutcome } from './bus.metrics';
import { secondsSince } from './metrics.registry';
import { REQUEST_ID_HEADER, requestIdFrom, runWithRequestContext } from './request-context';

/** What NATS and the in-process transport give a handler: the subject, and the request's headers. */
interface MessageContext {
  getArgByIndex(index: number): unknown;
  getHeaders?(): { get(key: string): string } | undefined;
}

/**
 * Around every message handler: the request id the sender put in the headers (or a new one)
 * becomes the request context, so every line logged while handling carries it and requests sent
 * on to other apps pass it along; then one log line and one histogram sample per message.
 */
@Injectable()
export class MessageHandlingInterceptor implements NestInterceptor {
  private readonly logger = new Logger('bus');

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    if (context.getType() !== 'rpc') return next.handle();
    const message = context.switchToRpc().getContext<MessageContext>();
    const subject = String(message.getArgByIndex(0));
    const requestId = requestIdFrom(message.getHeaders?.()?.get(REQUEST_ID_HEADER) || undefined);
    const started = performance.now();
    const finish = (error?: unknown) => {
      const outcome = handlingOutcome(error);
      const seconds = secondsSince(started);
      busHandleDuration.observe({ subject, outcome }, seconds);
      this.logger.log({ msg: 'message handled', subject, outcome, duration_ms: Math.round(seconds * 10_000) / 10 });
    };
    // Nest binds the handler to the async context current when handle() is called, and the answer
    // arrives in the one current when it is subscribed to: both happen inside ours.
    return new Observable((subscriber) =>
      runWithRequestContext({ requestId }, () =>
        next
          .handle()
          .pipe(tap({ complete: () => finish(), error: (error) => finish(error) }))
          .subscribe(subscriber),
      ),
    );
  }
}
