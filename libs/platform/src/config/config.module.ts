import { DynamicModule, Global, Module } from '@nestjs/common';
import { AppConfig } from './app-config';
import { AppSettings } from './settings';

@Global()
@Module({})
export class ConfigModule {
  /** The platform's settings by class, each app's own under its token, all validated before any is injected. */
  static forRoot(config: AppConfig, apps: AppSettings[] = []): DynamicModule {
    const providers = [{ provide: AppConfig, useValue: config }, ...apps.map((settings) => ({ provide: settings.token, useValue: config.settingsOf(settings) }))];
    return { module: ConfigModule, providers, exports: providers.map((provider) => provider.provide) };
  }
}
