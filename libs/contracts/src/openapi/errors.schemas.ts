import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ErrorBody, ErrorCode, ErrorDetail, ErrorEnvelope } from '../errors';
import { ApiSchemaOf } from './api-schema-of.decorator';

@ApiSchemaOf<ErrorDetail>('ErrorDetail')
export class ErrorDetailSchema implements ErrorDetail {
  @ApiProperty({ example: 'rate_per_minute' })
  field!: string;

  @ApiProperty({ example: 'rate_per_minute must be a string with two decimals between "0.50" and "999.99"' })
  message!: string;
}

@ApiSchemaOf<ErrorBody>('ErrorBody')
export class ErrorBodySchema implements ErrorBody {
  @ApiProperty({ enum: ErrorCode, enumName: 'ErrorCode' })
  code!: ErrorCode;

  @ApiProperty({ example: 'The request is not valid' })
  message!: string;

  @ApiPropertyOptional({ type: [ErrorDetailSchema], description: 'Which fields were refused, for validation errors' })
  details?: ErrorDetailSchema[];
}

@ApiSchemaOf<ErrorEnvelope>('ErrorEnvelope', 'Every 4xx and 5xx answer (decision 2)')
export class ErrorEnvelopeSchema implements ErrorEnvelope {
  @ApiProperty({ type: ErrorBodySchema })
  error!: ErrorBodySchema;
}
