import { Controller } from '@nestjs/common';
import { Payload } from '@nestjs/microservices';
import { HoldOwnerMessage, PlaceFirstHoldMessage, ResponseOf, StripeWebhookMessage } from '@vidivo/contracts';
import { Handles } from '@vidivo/platform';
import { StripeWebhooksService } from '../webhooks/stripe-webhooks.service';
import { FindHoldOwnerUseCase } from '../use-cases/find-hold-owner/find-hold-owner.use-case';
import { PlaceFirstHoldUseCase } from '../use-cases/place-first-hold/place-first-hold.use-case';

/** Billing's messages (validated on arrival), each handed to its use case. */
@Controller()
export class BillingHandler {
  constructor(
    private readonly placeFirstHold: PlaceFirstHoldUseCase,
    private readonly findHoldOwner: FindHoldOwnerUseCase,
    private readonly webhooks: StripeWebhooksService,
  ) {}

  @Handles('billing.holds.place-first')
  placeFirst(@Payload() request: PlaceFirstHoldMessage): Promise<ResponseOf<'billing.holds.place-first'>> {
    return this.placeFirstHold.execute(request);
  }

  @Handles('billing.holds.owner')
  holdOwner(@Payload() request: HoldOwnerMessage): Promise<ResponseOf<'billing.holds.owner'>> {
    return this.findHoldOwner.execute({ paymentIntentId: request.payment_intent_id });
  }

  @Handles('billing.webhooks.stripe')
  stripeWebhook(@Payload() request: StripeWebhookMessage): Promise<ResponseOf<'billing.webhooks.stripe'>> {
    return this.webhooks.receive(request);
  }
}
