export { CALL_EVENT_TYPES, CALL_STATUSES, TERMINAL_STATUSES, isEndable, isOver, isTerminal, statusesAccepting, transition } from './call-state';
export type { CallEventType, CallStatus, Refusal, Transition } from './call-state';
