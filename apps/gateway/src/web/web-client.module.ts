import { DynamicModule, Inject, Injectable, Logger, Module, OnModuleInit } from '@nestjs/common';
import { ServeStaticModule } from '@nestjs/serve-static';
import { existsSync } from 'node:fs';
import { join, resolve, sep } from 'node:path';
import type { ServerResponse } from 'node:http';

/**
 * The web client's pages (issue 11, decision 30): the SPA's routes answer index.html, and only
 * those, so nothing of the API (/v1, /signal, /health, /docs, /openapi.json) is shadowed (/metrics has a port of its own).
 */
export const WEB_ROUTES = /^\/(?:|c\/[a-z0-9]+|call\/[0-9A-Za-z]+|book\/[A-Za-z0-9_]+|bookings\/[0-9A-Za-z]+|host|login|register)\/?$/;

/**
 * Where `nx run web:build` puts the bundle: `dist/apps/web`. Compiled, this file is
 * `dist/apps/gateway/src/web/`, in the gateway's process and in standalone's alike; run from
 * source (jest), it is `apps/gateway/src/web/` and the bundle is looked up under `dist/` anyway.
 */
export function webBundleDirectory(): string {
  const compiled = `${sep}dist${sep}apps${sep}gateway${sep}`;
  return __dirname.includes(compiled) ? resolve(__dirname, '../../../web') : resolve(__dirname, '../../../../dist/apps/web');
}

/** Hashed files never change under their name; index.html must always be asked again. */
export function setWebCacheHeaders(res: ServerResponse, path: string): void {
  res.setHeader('Cache-Control', path.includes(`${sep}assets${sep}`) ? 'public, max-age=31536000, immutable' : 'no-cache');
}

const WEB_BUNDLE = Symbol('WEB_BUNDLE');

@Injectable()
class WebBundleNotice implements OnModuleInit {
  constructor(@Inject(WEB_BUNDLE) private readonly bundle: { directory: string; present: boolean }) {}

  onModuleInit(): void {
    const logger = new Logger('web');
    if (this.bundle.present) logger.log(`serving the web client from ${this.bundle.directory}`);
    else logger.warn(`no web client at ${this.bundle.directory} (run \`npx nx run web:build\`): serving the API only`);
  }
}

@Module({})
export class WebClientModule {
  /** Serves the built pages when they are there; without them the API starts alone, with a warning. */
  static forRoot(directory = webBundleDirectory()): DynamicModule {
    const present = existsSync(join(directory, 'index.html'));
    return {
      module: WebClientModule,
      imports: present
        ? [
            ServeStaticModule.forRoot({
              rootPath: directory,
              renderPath: WEB_ROUTES,
              serveStaticOptions: { index: false, redirect: false, fallthrough: true, setHeaders: setWebCacheHeaders },
            }),
          ]
        : [],
      providers: [{ provide: WEB_BUNDLE, useValue: { directory, present } }, WebBundleNotice],
    };
  }
}
