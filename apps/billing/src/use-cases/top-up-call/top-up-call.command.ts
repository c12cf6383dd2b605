/** An active call whose next window's hold is due (the top-up sweep found it). */
export interface TopUpCallCommand {
  callId: string;
}
