import { SettingsOf, defineSettings, setting } from '@vidivo/platform';

/** What only signaling reads: how often peers are pinged, how long a dropped one may take to come back. */
export const signalingSettings = defineSettings('signaling', {
  SIGNALING_PING_SECONDS: setting.withDefault(setting.positiveInt(), 25),
  SIGNAL_RESUME_SECONDS: setting.withDefault(setting.positiveInt(), 20),
});

export type SignalingSettings = SettingsOf<typeof signalingSettings>;
