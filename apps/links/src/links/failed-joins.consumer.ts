import { Injectable } from '@nestjs/common';
import { DomainEvent } from '@vidivo/contracts';
import { OnEvent } from '@vidivo/platform';
import { LinkClaimsService } from './link-claims.service';

/**
 * Calls gives a use back right away when the first hold fails; this is the safety net for when
 * that request was lost (calls crashed or links was down): the failed call's event does it.
 */
@Injectable()
export class FailedJoinsConsumer {
  constructor(private readonly claims: LinkClaimsService) {}

  @OnEvent('calls.call.ended')
  async onCallEnded({ payload: { call } }: DomainEvent<'calls.call.ended'>): Promise<void> {
    if (call.status === 'failed' && call.started_at === null) await this.claims.release(call.id);
  }
}
