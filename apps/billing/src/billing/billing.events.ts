import { EventMap, EventSubject } from '@vidivo/contracts';

type BillingSubject = Extract<EventSubject, `billing.${string}`>;

/** An event billing announces: written to billing's outbox in the same transaction as the change it reports. */
export type BillingEvent = { [S in BillingSubject]: { subject: S; payload: EventMap[S] } }[BillingSubject];
