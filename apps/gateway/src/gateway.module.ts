import { Module } from '@nestjs/common';
import { EdgeAuthModule } from '@vidivo/platform';
import { AuthController } from './auth/auth.controller';
import { LinksController } from './links/links.controller';
import { UsersController } from './users/users.controller';

/** The HTTP edge: validates and authenticates, then asks the domain apps over the bus. Owns no data. */
@Module({
  imports: [EdgeAuthModule],
  controllers: [AuthController, UsersController, LinksController],
})
export class GatewayModule {}
