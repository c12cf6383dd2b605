import { CallDto, CallSnapshot, toIsoSeconds, toIsoSecondsOrNull } from '@vidivo/contracts';
import { formatCents } from '@vidivo/money';
import { CallEntity } from './call.entity';

export function toCallDto(call: CallEntity): CallDto {
  return {
    id: call.id,
    status: call.status,
    short_code: call.shortCode,
    booking_id: call.bookingId,
    host: { id: call.hostId, display_name: call.hostName },
    guest: { id: call.guestId, display_name: call.guestName },
    rate_per_minute: formatCents(call.rateCents),
    window_size_minutes: call.windowSizeMinutes,
    currency: 'usd',
    created_at: toIsoSeconds(call.createdAt),
    started_at: toIsoSecondsOrNull(call.startedAt),
    ended_at: toIsoSecondsOrNull(call.endedAt),
    end_reason: call.endReason,
    duration_seconds: call.durationSeconds,
    billed_minutes: call.billedMinutes,
    total_charged: formatCents(call.totalChargedCents),
  };
}

export function toCallSnapshot(call: CallEntity): CallSnapshot {
  return { ...toCallDto(call), link_id: call.linkId };
}
