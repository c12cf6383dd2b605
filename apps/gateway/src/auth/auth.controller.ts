import { Body, Controller, Get, HttpCode, Post } from '@nestjs/common';
import { ApiBody, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import {
  AuthResponse,
  AuthResponseSchema,
  GuestAuthResponse,
  GuestAuthResponseSchema,
  GuestRequest,
  Jwks,
  JwksSchema,
  LoginRequest,
  RefreshRequest,
  RegisterRequest,
} from '@vidivo/contracts';
import { MessageBus, Public } from '@vidivo/platform';
import { ApiErrors, ApiIdempotencyKey, WHEN } from '../openapi/openapi.decorators';
import { RateLimited } from '../rate-limit/rate-limit';

@ApiTags('auth')
@Public()
@Controller('v1/auth')
export class AuthController {
  constructor(private readonly bus: MessageBus) {}

  @Post('register')
  @RateLimited()
  @ApiOperation({ summary: 'Create an account (user or host)' })
  @ApiIdempotencyKey()
  @ApiCreatedResponse({ type: AuthResponseSchema })
  @ApiErrors({
    400: WHEN.invalidBodyOrKey,
    409: `the email or username is taken, or ${WHEN.keyInFlight}`,
    422: WHEN.keyReused,
    429: WHEN.rateLimited,
  })
  register(@Body() body: RegisterRequest): Promise<AuthResponse> {
    return this.bus.request('identity.auth.register', body);
  }

  @Post('login')
  @RateLimited()
  @HttpCode(200)
  @ApiOperation({ summary: 'Sign in with email and password' })
  @ApiIdempotencyKey()
  @ApiOkResponse({ type: AuthResponseSchema })
  @ApiErrors({ 400: WHEN.invalidBodyOrKey, 401: 'wrong email or password', 409: WHEN.keyInFlight, 422: WHEN.keyReused, 429: WHEN.rateLimited })
  login(@Body() body: LoginRequest): Promise<AuthResponse> {
    return this.bus.request('identity.auth.login', body);
  }

  @Post('refresh')
  @HttpCode(200)
  @ApiOperation({ summary: 'Rotate the token pair', description: 'A refresh token works once; using it again is refused.' })
  @ApiIdempotencyKey()
  @ApiOkResponse({ type: AuthResponseSchema })
  @ApiErrors({ 400: WHEN.invalidBodyOrKey, 401: 'unknown, expired or already used refresh token', 409: WHEN.keyInFlight, 422: WHEN.keyReused })
  refresh(@Body() body: RefreshRequest): Promise<AuthResponse> {
    return this.bus.request('identity.auth.refresh', body);
  }

  @Post('guest')
  @RateLimited()
  @ApiOperation({ summary: 'Create a guest account', description: 'Role `guest`; no refresh token.' })
  @ApiIdempotencyKey()
  @ApiBody({ type: GuestRequest, required: false })
  @ApiCreatedResponse({ type: GuestAuthResponseSchema })
  @ApiErrors({ 400: WHEN.invalidBodyOrKey, 409: WHEN.keyInFlight, 422: WHEN.keyReused, 429: WHEN.rateLimited })
  guest(@Body() body: GuestRequest): Promise<GuestAuthResponse> {
    return this.bus.request('identity.auth.guest', body);
  }

  @Get('jwks')
  @ApiOperation({ summary: 'Public keys that verify access tokens (JWKS)' })
  @ApiOkResponse({ type: JwksSchema })
  jwks(): Promise<Jwks> {
    return this.bus.request('identity.auth.jwks', {});
  }
}
