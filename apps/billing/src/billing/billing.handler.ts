import { Controller } from '@nestjs/common';
import { Payload } from '@nestjs/microservices';
import { PlaceFirstHoldMessage, ResponseOf } from '@vidivo/contracts';
import { Handles } from '@vidivo/platform';
import { BillingService } from './billing.service';

@Controller()
export class BillingHandler {
  constructor(private readonly billing: BillingService) {}

  @Handles('billing.holds.place-first')
  placeFirstHold(@Payload() request: PlaceFirstHoldMessage): Promise<ResponseOf<'billing.holds.place-first'>> {
    return this.billing.placeFirstHold(request);
  }
}
