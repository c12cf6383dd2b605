import { ActorMessage } from './message-fields';
import {
  AuthResponse,
  GuestAuthResponse,
  GuestRequest,
  Jwks,
  LoginRequest,
  PublicProfileDto,
  RefreshRequest,
  RegisterRequest,
  UpdateMeMessage,
  UserDto,
  UserIdMessage,
  UsernameMessage,
  UserIdsMessage,
  ContactDto,
} from './identity';
import { ActiveLinkDto, ClaimLinkMessage, CreateLinkMessage, DeactivateLinkMessage, LinkClaimDto, LinkDto, LinkInfoDto, ReleaseLinkMessage, ShortCodeMessage } from './links';
import {
  CallDto,
  CallIdMessage,
  HostIdMessage,
  SystemCallMessage,
  EndCallMessage,
  EndCallResponse,
  HistoryMessage,
  HostJoinResponse,
  JoinBookedCallMessage,
  JoinCallMessage,
  JoinCallResponse,
  SignalingAccess,
} from './calls';
import { Page } from './paging';
import {
  AvailabilityDto,
  BookMessage,
  BookingDto,
  BookingIdMessage,
  CalendarFile,
  CancelBookingMessage,
  MyBookingsMessage,
  PutAvailabilityMessage,
  SlotsMessage,
  SlotsResponse,
  SystemBookingMessage,
} from './scheduling';
import { HoldDto, HoldOwnerDto, HoldOwnerMessage, PlaceFirstHoldMessage, StripeWebhookMessage, StripeWebhookReceipt } from './billing';

/**
 * The typed map of request/reply messages: subject -> what is sent and what comes back.
 * Producers and consumers both use it, so a subject cannot drift from its payload; the request
 * types are classes, validated on arrival as HTTP bodies are.
 */
export interface MessageMap {
  'identity.auth.register': { request: RegisterRequest; response: AuthResponse };
  'identity.auth.login': { request: LoginRequest; response: AuthResponse };
  'identity.auth.refresh': { request: RefreshRequest; response: AuthResponse };
  'identity.auth.guest': { request: GuestRequest; response: GuestAuthResponse };
  'identity.auth.jwks': { request: Record<string, never>; response: Jwks };
  'identity.users.me': { request: ActorMessage; response: UserDto };
  'identity.users.update-me': { request: UpdateMeMessage; response: UserDto };
  'identity.users.public-profile': { request: UserIdMessage; response: PublicProfileDto };
  'identity.users.public-profile-by-username': { request: UsernameMessage; response: PublicProfileDto };
  'identity.users.contacts': { request: UserIdsMessage; response: ContactDto[] };

  'links.create': { request: CreateLinkMessage; response: LinkDto };
  'links.list-mine': { request: ActorMessage; response: LinkDto[] };
  'links.deactivate': { request: DeactivateLinkMessage; response: { deactivated: true } };
  'links.info': { request: ShortCodeMessage; response: LinkInfoDto };
  'links.active-by-username': { request: UsernameMessage; response: ActiveLinkDto };
  'links.claim': { request: ClaimLinkMessage; response: LinkClaimDto };
  'links.release': { request: ReleaseLinkMessage; response: { released: boolean } };

  'calls.join': { request: JoinCallMessage; response: JoinCallResponse };
  'calls.join-booked': { request: JoinBookedCallMessage; response: JoinCallResponse };
  'calls.host-join': { request: CallIdMessage; response: HostJoinResponse };
  'calls.end': { request: EndCallMessage; response: EndCallResponse };
  'calls.get': { request: CallIdMessage; response: CallDto };
  'calls.history': { request: HistoryMessage; response: Page<CallDto> };
  'calls.signaling-token': { request: CallIdMessage; response: SignalingAccess };
  'calls.status': { request: SystemCallMessage; response: CallDto };
  'calls.mark-ringing': { request: SystemCallMessage; response: CallDto };
  'calls.waiting-for-host': { request: HostIdMessage; response: CallDto[] };

  'scheduling.availability.put': { request: PutAvailabilityMessage; response: AvailabilityDto };
  'scheduling.availability.get': { request: ActorMessage; response: AvailabilityDto };
  'scheduling.slots': { request: SlotsMessage; response: SlotsResponse };
  'scheduling.book': { request: BookMessage; response: BookingDto };
  'scheduling.mine': { request: MyBookingsMessage; response: Page<BookingDto> };
  'scheduling.cancel': { request: CancelBookingMessage; response: BookingDto };
  'scheduling.calendar': { request: BookingIdMessage; response: CalendarFile };
  'scheduling.booking': { request: SystemBookingMessage; response: BookingDto };

  'billing.holds.place-first': { request: PlaceFirstHoldMessage; response: HoldDto };
  'billing.holds.owner': { request: HoldOwnerMessage; response: HoldOwnerDto };
  'billing.webhooks.stripe': { request: StripeWebhookMessage; response: StripeWebhookReceipt };
}

export type Subject = keyof MessageMap;
export type RequestOf<S extends Subject> = MessageMap[S]['request'];
export type ResponseOf<S extends Subject> = MessageMap[S]['response'];
