import { Module } from '@nestjs/common';
import { DatabaseModule } from '@vidivo/platform';
import { AccessTokenIssuer } from './auth/access-token.issuer';
import { AdminSeeder } from './auth/admin.seeder';
import { AuthHandler } from './auth/auth.handler';
import { AuthService } from './auth/auth.service';
import { PasswordHasher } from './auth/password.hasher';
import { RefreshTokensRepository } from './auth/refresh-tokens.repository';
import { identityDatabase } from './identity.database';
import { UsersHandler } from './users/users.handler';
import { UsersRepository } from './users/users.repository';
import { UsersService } from './users/users.service';

/** Users, credentials and tokens. Answers messages only; the gateway is its HTTP face. */
@Module({
  imports: [DatabaseModule.forDomain(identityDatabase)],
  controllers: [AuthHandler, UsersHandler],
  providers: [AuthService, UsersService, PasswordHasher, AccessTokenIssuer, UsersRepository, RefreshTokensRepository, AdminSeeder],
})
export class IdentityModule {}
