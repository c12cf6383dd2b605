import { SetMetadata } from '@nestjs/common';
import { EventSubject } from '@vidivo/contracts';

export const ON_EVENT = 'vidivo:on-event';

/** Marks a consumer method for an event subject. It must be idempotent: events come at least once. */
export const OnEvent = (subject: EventSubject): MethodDecorator => SetMetadata(ON_EVENT, subject);
