import { CallHandler, Controller, ExecutionContext, Get, INestApplication, Injectable, Module, NestInterceptor, Post, RequestMethod, UseInterceptors } from '@nestjs/common';
import { INTERCEPTORS_METADATA } from '@nestjs/common/constants';
import { NestFactory } from '@nestjs/core';
import { MessagePattern } from '@nestjs/microservices';
import type { AddressInfo } from 'node:net';
import { Observable } from 'rxjs';
import { bindInterceptor, messageHandlers, routesOf } from './bind-interceptor';

const ran: string[] = [];

@Injectable()
class Recorded {}

/** Records that it ran; built by Nest with a provider of the module (as the idempotency interceptor is). */
@Injectable()
class FirstInterceptor implements NestInterceptor {
  constructor(readonly recorded: Recorded) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    ran.push(`first:${context.getHandler().name}`);
    return next.handle();
  }
}

class DeclaredInterceptor implements NestInterceptor {
  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    ran.push(`declared:${context.getHandler().name}`);
    return next.handle();
  }
}

@Controller('things')
class ThingsController {
  @Get()
  list() {
    return [];
  }

  @Post()
  @UseInterceptors(DeclaredInterceptor)
  create() {
    return { created: true };
  }

  @MessagePattern('things.get')
  fromBus() {
    return {};
  }
}

bindInterceptor([ThingsController], routesOf(RequestMethod.POST), FirstInterceptor);

@Module({ controllers: [ThingsController], providers: [Recorded] })
class ThingsModule {}

const boundTo = (name: keyof ThingsController) => (Reflect.getMetadata(INTERCEPTORS_METADATA, Reflect.get(ThingsController.prototype, name)) as unknown[] | undefined) ?? [];

describe('bindInterceptor', () => {
  let app: INestApplication;
  let base: string;

  beforeAll(async () => {
    app = await NestFactory.create(ThingsModule, { logger: false });
    await app.listen(0, '127.0.0.1');
    base = `http://127.0.0.1:${(app.getHttpServer().address() as AddressInfo).port}`;
  });

  afterAll(async () => {
    await app?.close();
  });

  beforeEach(() => ran.splice(0));

  it('runs on the routes of the method it was bound to, first, built with the module providers', async () => {
    expect((await fetch(`${base}/things`, { method: 'POST' })).status).toBe(201);
    expect(ran).toEqual(['first:create', 'declared:create']);
  });

  it('leaves the other routes without any interceptor', async () => {
    expect((await fetch(`${base}/things`)).status).toBe(200);
    expect(ran).toEqual([]);
    expect(boundTo('list')).toEqual([]);
  });

  it('binds to message handlers only when asked for them, and once however often it is called', () => {
    const instance = new DeclaredInterceptor();
    bindInterceptor([ThingsController], messageHandlers, instance);
    bindInterceptor([ThingsController], messageHandlers, new DeclaredInterceptor());
    expect(boundTo('fromBus')).toEqual([instance]);
    expect(boundTo('list')).toEqual([]);
    expect(boundTo('create')).toEqual([FirstInterceptor, DeclaredInterceptor]);
  });
});
