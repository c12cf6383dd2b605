import { Body, Controller, Get, HttpCode, Post } from '@nestjs/common';
import { AuthResponse, GuestAuthResponse, GuestRequest, Jwks, LoginRequest, RefreshRequest, RegisterRequest } from '@vidivo/contracts';
import { MessageBus, Public } from '@vidivo/platform';

@Public()
@Controller('v1/auth')
export class AuthController {
  constructor(private readonly bus: MessageBus) {}

  @Post('register')
  register(@Body() body: RegisterRequest): Promise<AuthResponse> {
    return this.bus.request('identity.auth.register', body);
  }

  @Post('login')
  @HttpCode(200)
  login(@Body() body: LoginRequest): Promise<AuthResponse> {
    return this.bus.request('identity.auth.login', body);
  }

  @Post('refresh')
  @HttpCode(200)
  refresh(@Body() body: RefreshRequest): Promise<AuthResponse> {
    return this.bus.request('identity.auth.refresh', body);
  }

  @Post('guest')
  guest(@Body() body: GuestRequest): Promise<GuestAuthResponse> {
    return this.bus.request('identity.auth.guest', body);
  }

  @Get('jwks')
  jwks(): Promise<Jwks> {
    return this.bus.request('identity.auth.jwks', {});
  }
}
