import { SignalingAccess } from '@vidivo/contracts';
import { CallRole } from '@vidivo/platform';
import { CallAccess } from '../access/call-access';
import { CallEntity } from '../calls/call.entity';
import { PublicPart } from './stand-in';

/** Signaling access without keys: a token that names the call and role it was granted for. */
export class FakeCallAccess implements PublicPart<CallAccess> {
  readonly granted: Array<{ callId: string; role: CallRole }> = [];

  grant(call: CallEntity, role: CallRole): SignalingAccess {
    this.granted.push({ callId: call.id, role });
    return {
      signaling_token: `st_${call.id}_${role}`,
      signaling_url: 'ws://signaling.test/signal/ws',
      turn_credentials: { urls: ['turn:turn.test:3478'], username: `0:${call.id}`, credential: 'test' },
    };
  }
}
