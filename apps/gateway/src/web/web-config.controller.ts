import { Controller, Get } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { WebConfigDto, WebConfigSchema } from '@vidivo/contracts';
import { AppConfig, Public } from '@vidivo/platform';

/**
 * What the web client asks before it draws the card step or opens the console (decision 30): the
 * publishable key when real Stripe is configured (Stripe.js and its Payment Element), else null
 * (Stripe's test cards on the bundled emulator); and where hosts listen for incoming calls.
 * Public: the join page is opened before anyone signs in.
 */
@ApiTags('web')
@Controller('v1/web')
export class WebConfigController {
  constructor(private readonly config: AppConfig) {}

  @Public()
  @Get('config')
  @ApiOperation({
    summary: "The web client's settings",
    description: '`stripe_publishable_key` is `STRIPE_PUBLISHABLE_KEY`, or null when it is not set; `signaling_notify_url` is where a host listens for incoming calls.',
  })
  @ApiOkResponse({ type: WebConfigSchema })
  webConfig(): WebConfigDto {
    return {
      stripe_publishable_key: this.config.stripePublishableKey ?? null,
      // `/signal/notify` beside `/signal/ws`, on signaling's own host when it has one.
      signaling_notify_url: new URL('notify', this.config.signalingUrl).href,
    };
  }
}
