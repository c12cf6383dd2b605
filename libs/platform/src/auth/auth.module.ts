import { Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { AccessTokenGuard } from './access-token.guard';
import { AccessTokenVerifier } from './access-token.verifier';

/** Guards every HTTP route of the app that imports it (see {@link AccessTokenGuard}). */
@Module({
  providers: [AccessTokenVerifier, { provide: APP_GUARD, useClass: AccessTokenGuard }],
  exports: [AccessTokenVerifier],
})
export class EdgeAuthModule {}
