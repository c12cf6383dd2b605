import { ApiProperty } from '@nestjs/swagger';
import { StripeWebhookReceipt } from '../billing';
import { ApiSchemaOf } from './api-schema-of.decorator';

@ApiSchemaOf<StripeWebhookReceipt>('StripeWebhookReceipt', 'A Stripe event taken (decision 26)')
export class StripeWebhookReceiptSchema implements StripeWebhookReceipt {
  @ApiProperty({ enum: [true] })
  received!: true;
}
