import type { CallDto, EndCallResponse, SignalingAccess } from '@vidivo/contracts';
import { useEffect, useRef, useState } from 'react';
import { ApiError, api, authed, describeError, loadAuth } from '../api';
import { CallConnection, type Role } from '../call/connection';
import { loadCredentials, saveCredentials, type CallCredentials } from '../call/credentials';
import { formatAmount, formatCents, formatDuration, toCents } from '../money';
import { Alert, Layout, Link } from './Layout';

type PeerState = 'waiting' | 'present' | 'reconnecting' | 'left';

/** Requests as this call's participant: the guest's guest_token, or the signed-in host. */
function asParticipant<T>(credentials: CallCredentials, method: string, path: string, body?: unknown): Promise<T> {
  if (credentials.guestToken) return api<T>(method, path, { body, token: credentials.guestToken, idempotent: method === 'POST' });
  return authed<T>(method, path, { body, idempotent: method === 'POST' });
}

/** Which participant this browser is for the call, if it can be one at all. */
function credentialsFor(callId: string): CallCredentials | null {
  const stored = loadCredentials(callId);
  if (stored) return stored;
  const auth = loadAuth();
  // A signed-in host opening the call (from the console, or again after closing the tab).
  return auth ? { role: auth.user.role === 'host' ? 'host' : 'guest' } : null;
}

function mediaProblem(error: unknown): string {
  const name = (error as { name?: string })?.name;
  if (name === 'NotAllowedError' || name === 'SecurityError')
    return 'Camera and microphone are blocked for this site. Allow them in your browser (the camera icon in the address bar), then reload the page. You can still see and hear the other side.';
  if (name === 'NotFoundError' || name === 'OverconstrainedError') return 'No camera or microphone was found. You can still see and hear the other side.';
  if (name === 'NotReadableError') return 'Your camera or microphone is in use by another application. Close it and reload the page.';
  return 'Your camera and microphone could not be started. You can still see and hear the other side.';
}

/** `/call/:id`: both videos, toggles, time and running cost, reconnecting, end, and the summary. */
export function CallPage({ callId }: { callId: string }) {
  const [credentials] = useState(() => credentialsFor(callId));
  const [call, setCall] = useState<CallDto | null>(null);
  const [ended, setEnded] = useState<CallDto | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [mediaError, setMediaError] = useState<string | null>(null);
  const [peer, setPeer] = useState<PeerState>('waiting');
  const [socket, setSocket] = useState<'connecting' | 'open' | 'retrying'>('connecting');
  const [media, setMedia] = useState<RTCPeerConnectionState>('new');
  const [ending, setEnding] = useState<{ reason: string; at: string } | null>(null);
  const [muted, setMuted] = useState(false);
  const [cameraOff, setCameraOff] = useState(false);
  const [remoteMuted, setRemoteMuted] = useState(false);
  const [now, setNow] = useState(() => Date.now());
  const [endBusy, setEndBusy] = useState(false);
  const localVideo = useRef<HTMLVideoElement>(null);
  const remoteVideo = useRef<HTMLVideoElement>(null);
  const localStream = useRef<MediaStream | null>(null);
  const connection = useRef<CallConnection | null>(null);

  const role: Role | null = credentials?.role ?? null;

  const finish = async (fallback: CallDto | null) => {
    connection.current?.stop();
    localStream.current?.getTracks().forEach((track) => track.stop());
    if (!credentials) return;
    try {
      // The summary shows what the API recorded.
      setEnded(await asParticipant<CallDto>(credentials, 'GET', `/v1/calls/${callId}`));
    } catch {
      if (fallback) setEnded(fallback);
      else setError('The call has ended.');
    }
  };

  const refreshCall = async () => {
    if (!credentials) return;
    try {
      const current = await asParticipant<CallDto>(credentials, 'GET', `/v1/calls/${callId}`);
      setCall(current);
      if (['completed', 'missed', 'failed'].includes(current.status) || current.ended_at) void finish(current);
    } catch (e) {
      setError(describeError(e));
    }
  };

  useEffect(() => {
    if (!credentials) return;
    let cancelled = false;
    const start = async () => {
      await refreshCall();
      let stream: MediaStream | null = null;
      try {
        stream = await navigator.mediaDevices.getUserMedia({ video: true, audio: true });
      } catch (e) {
        setMediaError(mediaProblem(e));
      }
      if (cancelled) {
        stream?.getTracks().forEach((track) => track.stop());
        return;
      }
      localStream.current = stream;
      if (localVideo.current && stream) localVideo.current.srcObject = stream;
      let first = true;
      const access = async (fresh: boolean): Promise<SignalingAccess> => {
        const kept = loadCredentials(callId);
        // The join's own access only the first time after it; any later (re)connection takes a fresh token.
        if (first && !fresh && kept?.access && kept.access.signaling_token && !sessionStorage.getItem(`vidivo.used.${callId}`)) {
          first = false;
          sessionStorage.setItem(`vidivo.used.${callId}`, '1');
          return kept.access;
        }
        first = false;
        const next = await asParticipant<SignalingAccess>(credentials, 'POST', `/v1/calls/${callId}/signaling-token`);
        saveCredentials(callId, { ...credentials, access: next });
        return next;
      };
      const conn = new CallConnection(credentials.role, stream, access, {
        remoteStream: (remote) => {
          const video = remoteVideo.current;
          if (!video) return;
          if (video.srcObject !== remote) video.srcObject = remote;
          if (!remote) return;
          video.play().catch(() => {
            // Autoplay with sound needs a gesture: play muted and offer to unmute.
            video.muted = true;
            setRemoteMuted(true);
            video.play().catch(() => undefined);
          });
        },
        peer: (state) => {
          setPeer(state);
          if (state === 'present') void refreshCall(); // the host's arrival starts the clock
        },
        socket: setSocket,
        media: setMedia,
        callEnding: setEnding,
        callEnded: (ended) => void finish(ended),
        problem: setError,
      });
      connection.current = conn;
      conn.start();
    };
    void start();
    return () => {
      cancelled = true;
      connection.current?.stop();
      localStream.current?.getTracks().forEach((track) => track.stop());
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [callId]);

  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(timer);
  }, []);

  const toggleMute = () => {
    const next = !muted;
    localStream.current?.getAudioTracks().forEach((track) => (track.enabled = !next));
    setMuted(next);
  };
  const toggleCamera = () => {
    const next = !cameraOff;
    localStream.current?.getVideoTracks().forEach((track) => (track.enabled = !next));
    setCameraOff(next);
  };
  const unmuteRemote = () => {
    if (remoteVideo.current) {
      remoteVideo.current.muted = false;
      void remoteVideo.current.play().catch(() => undefined);
    }
    setRemoteMuted(false);
  };
  const end = async () => {
    if (!credentials) return;
    setEndBusy(true);
    try {
      const answer = await asParticipant<EndCallResponse>(credentials, 'POST', `/v1/calls/${callId}/end`, { reason: role === 'host' ? 'host_ended' : 'user_ended' });
      await finish(answer.call);
    } catch (e) {
      if (e instanceof ApiError && e.status === 409) await finish(null);
      else setError(describeError(e));
    } finally {
      setEndBusy(false);
    }
  };

  if (!credentials) {
    return (
      <Layout title="Call">
        <Alert>
          This call is not open in this browser. Guests join from the host's call link; hosts <Link to="/login">sign in</Link> and open it from the console.
        </Alert>
      </Layout>
    );
  }

  if (ended) return <Summary call={ended} role={credentials.role} />;

  const other = role === 'guest' ? (call?.host.display_name ?? 'The host') : (call?.guest.display_name ?? 'The guest');
  const startedAt = call?.started_at ? Date.parse(call.started_at) : null;
  const elapsed = startedAt ? (now - startedAt) / 1000 : 0;
  const minutes = startedAt ? Math.max(1, Math.ceil(elapsed / 60)) : 0;
  const cost = call ? minutes * toCents(call.rate_per_minute) : 0;

  let status: string;
  if (peer === 'reconnecting') status = `${other} is reconnecting…`;
  else if (peer === 'left') status = `${other} left the call.`;
  else if (socket === 'retrying') status = 'Reconnecting to the call…';
  else if (peer === 'waiting') status = role === 'guest' ? `Waiting for ${other} to answer…` : `Waiting for ${other} to connect…`;
  else if (media === 'connected') status = `Connected with ${other}.`;
  else status = `Connecting to ${other}…`;

  return (
    <Layout title={call ? `Call with ${other}` : 'Call'} wide>
      <p className="call-status" role="status" data-peer={peer} data-socket={socket} data-media={media}>
        {status}
      </p>
      {ending && (
        <Alert kind="warning">
          The call will end at {new Date(ending.at).toLocaleTimeString()} (
          {ending.reason === 'max_duration' ? 'it has reached its maximum length' : ending.reason.replace(/_/g, ' ')}).
        </Alert>
      )}
      {mediaError && <Alert>{mediaError}</Alert>}
      {error && <Alert>{error}</Alert>}
      <div className="videos">
        <figure className="remote">
          <video id="remote-video" ref={remoteVideo} autoPlay playsInline aria-label={`Video of ${other}`} />
          <figcaption>{other}</figcaption>
        </figure>
        <figure className="local">
          <video id="local-video" ref={localVideo} autoPlay playsInline muted aria-label="Your video" />
          <figcaption>You{cameraOff ? ' (camera off)' : ''}</figcaption>
        </figure>
      </div>
      <div className="meter" aria-live="off">
        <span>
          Time <strong id="call-timer">{startedAt ? formatDuration(elapsed) : '—'}</strong>
        </span>
        <span>
          Cost so far <strong id="call-cost">{call ? formatCents(cost) : '—'}</strong>
          {call && <small> at {formatAmount(call.rate_per_minute)}/min</small>}
        </span>
      </div>
      <div className="controls">
        <button type="button" onClick={toggleMute} aria-pressed={muted}>
          {muted ? 'Unmute' : 'Mute'}
        </button>
        <button type="button" onClick={toggleCamera} aria-pressed={cameraOff}>
          {cameraOff ? 'Camera on' : 'Camera off'}
        </button>
        {remoteMuted && (
          <button type="button" onClick={unmuteRemote}>
            Turn on sound
          </button>
        )}
        <button type="button" className="danger" onClick={() => void end()} disabled={endBusy}>
          End call
        </button>
      </div>
    </Layout>
  );
}

/** How the call ended, in words for this side of it. */
function outcome(call: CallDto, role: Role, other: string): string {
  switch (call.end_reason) {
    case 'host_declined':
      return role === 'guest' ? `${other} declined the call. Nothing was charged.` : 'You declined this call. Nothing was charged.';
    case 'max_duration':
      return `Your call with ${other} reached its maximum length and has ended.`;
    case 'abandoned':
      return `The connection with ${other} was lost for too long, so the call has ended.`;
    case 'billing_error':
      return `Your call with ${other} ended because the card could not be charged for more time.`;
    default:
      if (call.status === 'missed') return role === 'guest' ? `${other} did not answer. Nothing was charged.` : 'You missed this call.';
      if (call.status === 'failed') return `The call with ${other} could not go ahead.`;
      return `Your call with ${other} has ended.`;
  }
}

function Summary({ call, role }: { call: CallDto; role: Role }) {
  const other = role === 'guest' ? call.host.display_name : call.guest.display_name;
  return (
    <Layout title="Call ended">
      <section className="card summary" aria-label="Call summary">
        <p id="summary-outcome">{outcome(call, role, other)}</p>
        <dl>
          <dt>Duration</dt>
          <dd id="summary-duration">{formatDuration(call.duration_seconds)}</dd>
          <dt>Billed minutes</dt>
          <dd id="summary-minutes">{call.billed_minutes}</dd>
          <dt>Rate</dt>
          <dd>{formatAmount(call.rate_per_minute)} per minute</dd>
          <dt>{role === 'guest' ? 'Total charged' : 'Total earned'}</dt>
          <dd id="summary-total">{formatAmount(call.total_charged)}</dd>
        </dl>
        {role === 'guest' ? (
          <p>Only these minutes are charged; the rest of the hold on your card is released.</p>
        ) : (
          <p>
            <Link to="/host">Back to the console</Link>
          </p>
        )}
      </section>
    </Layout>
  );
}
