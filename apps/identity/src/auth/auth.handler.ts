import { Controller } from '@nestjs/common';
import { Payload } from '@nestjs/microservices';
import { GuestRequest, LoginRequest, RefreshRequest, RegisterRequest, ResponseOf } from '@vidivo/contracts';
import { Handles } from '@vidivo/platform';
import { AccessTokenIssuer } from './access-token.issuer';
import { AuthService } from './auth.service';

@Controller()
export class AuthHandler {
  constructor(
    private readonly auth: AuthService,
    private readonly accessTokens: AccessTokenIssuer,
  ) {}

  @Handles('identity.auth.register')
  register(@Payload() request: RegisterRequest): Promise<ResponseOf<'identity.auth.register'>> {
    return this.auth.register(request);
  }

  @Handles('identity.auth.login')
  login(@Payload() request: LoginRequest): Promise<ResponseOf<'identity.auth.login'>> {
    return this.auth.login(request);
  }

  @Handles('identity.auth.refresh')
  refresh(@Payload() { refresh_token }: RefreshRequest): Promise<ResponseOf<'identity.auth.refresh'>> {
    return this.auth.refresh(refresh_token);
  }

  @Handles('identity.auth.guest')
  guest(@Payload() request: GuestRequest): Promise<ResponseOf<'identity.auth.guest'>> {
    return this.auth.guest(request);
  }

  @Handles('identity.auth.jwks')
  jwks(): ResponseOf<'identity.auth.jwks'> {
    return this.accessTokens.publicKeys();
  }
}
