import { Module } from '@nestjs/common';
import { AccessTokenVerifier, AppConfig, PresenceModule, SignalingTokenVerifier, TRANSPORT_CHOICE, TransportChoice } from '@vidivo/platform';
import { HostNotifications } from './notify/host-notifications';
import { PeerSockets } from './peers/peer-sockets';
import { CallRooms } from './rooms/call-rooms';
import { PeerPresence } from './rooms/peer-presence';
import { NatsRoomBus } from './rooms/nats-room-bus';
import { InProcessRoomBus, RoomBus } from './rooms/room-bus';

/** The WebSocket edge: peers of a call on /signal/ws, hosts' incoming calls on /signal/notify. */
@Module({
  imports: [PresenceModule],
  providers: [
    {
      provide: RoomBus,
      inject: [TRANSPORT_CHOICE, AppConfig],
      useFactory: (transport: TransportChoice, config: AppConfig) => (transport.kind === 'nats' ? new NatsRoomBus(config.natsUrl) : new InProcessRoomBus()),
    },
    CallRooms,
    PeerPresence,
    PeerSockets,
    HostNotifications,
    SignalingTokenVerifier,
    AccessTokenVerifier,
  ],
})
export class SignalingModule {}
