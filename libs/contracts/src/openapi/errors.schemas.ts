import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ErrorBody, ErrorCode, ErrorDetail, ErrorEnvelope, PaymentActionDetails } from '../errors';
import { ApiSchemaOf } from './api-schema-of.decorator';

@ApiSchemaOf<ErrorDetail>('ErrorDetail')
export class ErrorDetailSchema implements ErrorDetail {
  @ApiProperty({ example: 'rate_per_minute' })
  field!: string;

  @ApiProperty({ example: 'rate_per_minute must be a string with two decimals between "0.50" and "999.99"' })
  message!: string;
}

@ApiSchemaOf<PaymentActionDetails>('PaymentActionDetails', 'The authentication a card needs before its hold exists (decision 25)')
export class PaymentActionDetailsSchema implements PaymentActionDetails {
  @ApiProperty({ example: 'pi_3Qx7example' })
  payment_intent_id!: string;

  @ApiProperty({ description: 'for Stripe.js `handleNextAction`' })
  client_secret!: string;

  @ApiProperty({ type: 'object', additionalProperties: true, description: "Stripe's next_action, e.g. `{ type: 'redirect_to_url', redirect_to_url: { url, return_url } }`" })
  next_action!: Record<string, unknown>;
}

@ApiSchemaOf<ErrorBody>('ErrorBody')
export class ErrorBodySchema implements ErrorBody {
  @ApiProperty({ enum: ErrorCode, enumName: 'ErrorCode' })
  code!: ErrorCode;

  @ApiProperty({ example: 'The request is not valid' })
  message!: string;

  @ApiPropertyOptional({
    oneOf: [{ type: 'array', items: { $ref: '#/components/schemas/ErrorDetail' } }, { $ref: '#/components/schemas/PaymentActionDetails' }],
    description: 'Which fields were refused, for validation errors; for `payment_action_required`, the authentication to complete',
  })
  details?: ErrorDetailSchema[] | PaymentActionDetailsSchema;
}

@ApiSchemaOf<ErrorEnvelope>('ErrorEnvelope', 'Every 4xx and 5xx answer (decision 2)')
export class ErrorEnvelopeSchema implements ErrorEnvelope {
  @ApiProperty({ type: ErrorBodySchema })
  error!: ErrorBodySchema;
}
