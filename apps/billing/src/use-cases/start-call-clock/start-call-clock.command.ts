/** The host joined a call billing holds money for. */
export interface StartCallClockCommand {
  callId: string;
  /** When the call became active (ISO), the start of window 1. */
  startedAt: string;
}
