import { Inject, Injectable } from '@nestjs/common';
import { SignalingAccess } from '@vidivo/contracts';
import { AppConfig, CallRole, SignalingTokenIssuer } from '@vidivo/platform';
import { CallEntity } from '../calls/call.entity';
import { CallsSettings, callsSettings, turnUrlsOf } from '../calls.settings';
import { turnCredentials } from './turn-credentials';

/** What a participant needs to reach the other one: a signaling token, where to use it, and TURN. */
@Injectable()
export class CallAccess {
  private readonly turnUrls: string[];

  constructor(
    private readonly tokens: SignalingTokenIssuer,
    private readonly config: AppConfig,
    @Inject(callsSettings.token) private readonly settings: CallsSettings,
  ) {
    this.turnUrls = turnUrlsOf(settings);
  }

  grant(call: CallEntity, role: CallRole): SignalingAccess {
    const participantId = role === 'host' ? call.hostId : call.guestId;
    const displayName = role === 'host' ? call.hostName : call.guestName;
    return {
      signaling_token: this.tokens.issue({ call_id: call.id, participant_id: participantId, call_role: role, display_name: displayName }),
      signaling_url: this.config.signalingUrl,
      turn_credentials: turnCredentials(this.settings.TURN_SECRET, this.turnUrls, participantId, new Date()),
    };
  }
}
