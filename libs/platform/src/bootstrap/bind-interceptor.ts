import { NestInterceptor, RequestMethod, Type } from '@nestjs/common';
import { INTERCEPTORS_METADATA, METHOD_METADATA } from '@nestjs/common/constants';
import { PATTERN_METADATA } from '@nestjs/microservices/constants';

type Interceptor = Type<NestInterceptor> | NestInterceptor;
type Handler = (...args: never[]) => unknown;

/** Handlers of HTTP routes of this method (`@Post()` for RequestMethod.POST). */
export const routesOf =
  (method: RequestMethod) =>
  (handler: Handler): boolean =>
    Reflect.getMetadata(METHOD_METADATA, handler) === method;

/** Message handlers (a method with a message pattern, see @Handles). */
export const messageHandlers = (handler: Handler): boolean => Reflect.getMetadata(PATTERN_METADATA, handler) !== undefined;

const isBound = (bound: unknown[], interceptor: Interceptor) =>
  bound.some((entry) => entry === interceptor || (typeof interceptor !== 'function' && entry instanceof (interceptor.constructor as Type<NestInterceptor>)));

/**
 * Binds an interceptor to the handlers of `controllers` that `selects` picks, first among their
 * interceptors (where a global one runs), and to nothing else: the other routes skip Nest's
 * interceptor chain altogether instead of entering it for an interceptor with nothing to do.
 * Binds on the handlers' metadata, so it must run before the routes are built: for a class,
 * before the app is created (Nest instantiates it with the module's providers); for an instance,
 * any time before the app initialises or connects its message server. Once per handler.
 */
export function bindInterceptor(controllers: Iterable<Type>, selects: (handler: Handler) => boolean, interceptor: Interceptor): void {
  for (const controller of controllers) {
    for (const name of Object.getOwnPropertyNames(controller.prototype)) {
      const handler: unknown = Reflect.get(controller.prototype as object, name);
      if (name === 'constructor' || typeof handler !== 'function' || !selects(handler as Handler)) continue;
      const bound = (Reflect.getMetadata(INTERCEPTORS_METADATA, handler) as unknown[] | undefined) ?? [];
      if (!isBound(bound, interceptor)) Reflect.defineMetadata(INTERCEPTORS_METADATA, [interceptor, ...bound], handler);
    }
  }
}
