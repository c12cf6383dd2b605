import type { WebConfigDto } from '@vidivo/contracts';
import { api } from './api';

let config: Promise<WebConfigDto> | null = null;

/** The platform's web settings (`GET /v1/web/config`), asked once per page load (a failure is asked again next time). */
export function webConfig(): Promise<WebConfigDto> {
  config ??= api<WebConfigDto>('GET', '/v1/web/config').catch((error: unknown) => {
    config = null;
    throw error;
  });
  return config;
}
