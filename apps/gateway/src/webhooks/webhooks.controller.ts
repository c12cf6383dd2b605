import { Controller, Headers, HttpCode, Post, RawBodyRequest, Req } from '@nestjs/common';
import { ApiHeader, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { StripeWebhookReceipt, StripeWebhookReceiptSchema } from '@vidivo/contracts';
import { AppError, MessageBus, Public } from '@vidivo/platform';
import type { Request } from 'express';
import { ApiErrors, ApiIdempotencyKey, WHEN } from '../openapi/openapi.decorators';

/**
 * Stripe's webhooks (decision 26): the raw body and its `Stripe-Signature` go to billing, which
 * checks the signature and handles each event once. Public: Stripe signs, it does not log in.
 */
@ApiTags('webhooks')
@Controller('v1/webhooks')
export class WebhooksController {
  constructor(private readonly bus: MessageBus) {}

  @Public()
  @Post('stripe')
  @HttpCode(200)
  @ApiOperation({
    summary: "Stripe's webhook endpoint",
    description: 'Register this URL in the Stripe Dashboard and set `STRIPE_WEBHOOK_SECRET` to its signing secret. Each event is handled once, in any order.',
  })
  @ApiHeader({ name: 'Stripe-Signature', required: true, description: "Stripe's signature of the raw body" })
  @ApiIdempotencyKey()
  @ApiOkResponse({ type: StripeWebhookReceiptSchema })
  @ApiErrors({
    400: `the Stripe-Signature header is missing or does not match the body and STRIPE_WEBHOOK_SECRET; ${WHEN.invalidBodyOrKey}`,
    409: WHEN.keyInFlight,
    422: WHEN.keyReused,
  })
  stripe(@Req() request: RawBodyRequest<Request>, @Headers('stripe-signature') signature: string | undefined): Promise<StripeWebhookReceipt> {
    if (!signature || !request.rawBody) {
      throw AppError.validation('A Stripe webhook needs its body and Stripe-Signature header', [{ field: 'Stripe-Signature', message: 'is required' }]);
    }
    return this.bus.request('billing.webhooks.stripe', { payload: request.rawBody.toString('utf8'), signature });
  }
}
