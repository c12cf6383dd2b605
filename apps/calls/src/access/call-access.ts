import { Injectable } from '@nestjs/common';
import { SignalingAccess } from '@vidivo/contracts';
import { AppConfig, CallRole, SignalingTokenIssuer } from '@vidivo/platform';
import { CallEntity } from '../calls/call.entity';
import { turnCredentials } from './turn-credentials';

/** What a participant needs to reach the other one: a signaling token, where to use it, and TURN. */
@Injectable()
export class CallAccess {
  private readonly turnSecret: string;

  constructor(
    private readonly tokens: SignalingTokenIssuer,
    private readonly config: AppConfig,
  ) {
    this.turnSecret = config.need('TURN_SECRET');
  }

  grant(call: CallEntity, role: CallRole): SignalingAccess {
    const participantId = role === 'host' ? call.hostId : call.guestId;
    const displayName = role === 'host' ? call.hostName : call.guestName;
    return {
      signaling_token: this.tokens.issue({ call_id: call.id, participant_id: participantId, call_role: role, display_name: displayName }),
      signaling_url: this.config.signalingUrl,
      turn_credentials: turnCredentials(this.turnSecret, this.config.turnUrls, participantId, new Date()),
    };
  }
}
