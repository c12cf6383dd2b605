import { AppDefinition, JobsModule, PeriodicJobs } from '@vidivo/platform';
import { SignalingWsAdapter } from './signaling.gateway';
import { SignalingModule } from './signaling.module';
import { SignalingSettings, signalingSettings } from './signaling.settings';

export const signalingApp: AppDefinition = {
  name: 'signaling',
  imports: [SignalingModule, JobsModule],
  databases: [],
  settings: [signalingSettings],
  answersMessages: false,
  // Signaling's gateways are the only ones in any process (standalone too), so the process takes their adapter.
  configure: (app) =>
    app.useWebSocketAdapter(new SignalingWsAdapter(app, app.get<SignalingSettings>(signalingSettings.token).SIGNALING_PING_SECONDS * 1000, app.get(PeriodicJobs))),
};
