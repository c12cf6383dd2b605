import { Controller } from '@nestjs/common';
import { Payload } from '@nestjs/microservices';
import { HoldOwnerMessage, PlaceFirstHoldMessage, ResponseOf, StripeWebhookMessage } from '@vidivo/contracts';
import { Handles } from '@vidivo/platform';
import { StripeWebhooksService } from '../webhooks/stripe-webhooks.service';
import { BillingService } from './billing.service';

@Controller()
export class BillingHandler {
  constructor(
    private readonly billing: BillingService,
    private readonly webhooks: StripeWebhooksService,
  ) {}

  @Handles('billing.holds.place-first')
  placeFirstHold(@Payload() request: PlaceFirstHoldMessage): Promise<ResponseOf<'billing.holds.place-first'>> {
    return this.billing.placeFirstHold(request);
  }

  @Handles('billing.holds.owner')
  holdOwner(@Payload() request: HoldOwnerMessage): Promise<ResponseOf<'billing.holds.owner'>> {
    return this.billing.ownerOf(request.payment_intent_id);
  }

  @Handles('billing.webhooks.stripe')
  stripeWebhook(@Payload() request: StripeWebhookMessage): Promise<ResponseOf<'billing.webhooks.stripe'>> {
    return this.webhooks.receive(request);
  }
}
