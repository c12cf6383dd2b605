import { AppDefinition } from '@vidivo/platform';
import { SignalingModule } from './signaling.module';

export const signalingApp: AppDefinition = {
  name: 'signaling',
  imports: [SignalingModule],
  databases: [],
  answersMessages: false,
};
