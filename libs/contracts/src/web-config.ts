import { ApiProperty } from '@nestjs/swagger';
import { ApiSchemaOf } from './openapi/api-schema-of.decorator';

/** `GET /v1/web/config`: what the web client needs to know before it draws the card step (decision 30). */
export interface WebConfigDto {
  /** Real Stripe's publishable key, for Stripe.js; null with the bundled emulator (the page offers Stripe's test cards). */
  stripe_publishable_key: string | null;
  /** Where a host's console listens for incoming calls (decision 21): beside SIGNALING_PUBLIC_URL, often a host of its own. */
  signaling_notify_url: string;
}

@ApiSchemaOf<WebConfigDto>('WebConfig', "The web client's settings (decision 30)")
export class WebConfigSchema implements WebConfigDto {
  @ApiProperty({
    type: String,
    nullable: true,
    pattern: '^pk_',
    example: 'pk_test_51H…',
    description: 'STRIPE_PUBLISHABLE_KEY when set: the card step then uses Stripe.js and its Payment Element; null: Stripe test cards (bundled emulator)',
  })
  stripe_publishable_key!: string | null;

  @ApiProperty({
    format: 'uri',
    example: 'wss://signal.vidivo.example/signal/notify',
    description: "the host's incoming-call WebSocket (`/signal/notify` beside SIGNALING_PUBLIC_URL's `/signal/ws`)",
  })
  signaling_notify_url!: string;
}
