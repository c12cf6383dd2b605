import { Injectable } from '@nestjs/common';
import { HoldDto, HoldOwnerDto, PaymentForHold } from '@vidivo/contracts';
import { formatCents } from '@vidivo/money';
import { AppConfig, MessageBus } from '@vidivo/platform';
import { CallEntity } from './call.entity';

/** What the first hold is for: a link's use or a booking; an authenticated hold is good for that only (decision 25). */
export type HoldPurpose = { link: string } | { booking: string };

/** Asks billing for a call's first hold, the one placed while the guest waits (decisions 11, 24, 25). */
@Injectable()
export class FirstHolds {
  constructor(
    private readonly bus: MessageBus,
    private readonly config: AppConfig,
  ) {}

  /** `returnPath`: the web page the card's authentication sends the guest back to. */
  place(call: CallEntity, payment: PaymentForHold, guestEmail: string | null, purpose: HoldPurpose, returnPath: string): Promise<HoldDto> {
    return this.bus.request('billing.holds.place-first', {
      call_id: call.id,
      ...(payment.payment_intent_id ? { payment_intent_id: payment.payment_intent_id } : { payment_method_id: payment.payment_method_id }),
      rate_per_minute: formatCents(call.rateCents),
      window_size_minutes: call.windowSizeMinutes,
      guest: { id: call.guestId, display_name: call.guestName, ...(guestEmail ? { email: guestEmail } : {}) },
      host_name: call.hostName,
      purpose: 'link' in purpose ? `link:${purpose.link}` : `booking:${purpose.booking}`,
      return_url: `${this.config.publicWebUrl}${returnPath}`,
    });
  }

  /** The call an authenticated first hold was made for: the join that brings it back takes that call's id. */
  ownerOf(paymentIntentId: string): Promise<HoldOwnerDto> {
    return this.bus.request('billing.holds.owner', { payment_intent_id: paymentIntentId });
  }
}
