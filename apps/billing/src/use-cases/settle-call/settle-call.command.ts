/** A call that ended (`calls.call.ended`), with what it cost. */
export interface SettleCallCommand {
  callId: string;
  /** The call's `total_charged`, a decimal string (decision 4): exactly this is captured. */
  totalCharged: string;
}
