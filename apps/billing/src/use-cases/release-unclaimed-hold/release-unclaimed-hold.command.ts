/** A first hold that has waited for the guest's authentication longer than UNCLAIMED_HOLD_SECONDS. */
export interface ReleaseUnclaimedHoldCommand {
  callId: string;
}
