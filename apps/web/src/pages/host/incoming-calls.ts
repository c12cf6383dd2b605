import type { CallDto } from '@vidivo/contracts';
import { useEffect, useRef, useState } from 'react';
import { describeError, loadAuth, refreshAuth, type StoredAuth } from '../../api';
import { webConfig } from '../../web-config';

/** A short ring with the Web Audio API (browsers allow it once the page has had a click). */
function ring(): void {
  try {
    const audio = new AudioContext();
    for (const [at, frequency] of [
      [0, 880],
      [0.25, 660],
    ] as const) {
      const oscillator = audio.createOscillator();
      const gain = audio.createGain();
      oscillator.frequency.value = frequency;
      gain.gain.value = 0.1;
      oscillator.connect(gain).connect(audio.destination);
      oscillator.start(audio.currentTime + at);
      oscillator.stop(audio.currentTime + at + 0.2);
    }
    setTimeout(() => void audio.close(), 1000);
  } catch {
    /* no sound available */
  }
}

/**
 * The /signal/notify channel: incoming calls ring here, and while it is open guests see the host
 * online. The page title rings too while a call waits.
 */
export function useIncomingCalls(auth: StoredAuth | null) {
  const [incoming, setIncoming] = useState<CallDto[]>([]);
  const [online, setOnline] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const socketRef = useRef<WebSocket | null>(null);

  useEffect(() => {
    if (!auth || auth.user.role !== 'host') return;
    let stopped = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    let attempts = 0;
    /** Signaling's, which may be a host of its own (GET /v1/web/config). */
    let notifyUrl = '';
    const open = (token: string) => {
      const socket = new WebSocket(`${notifyUrl}?token=${encodeURIComponent(token)}`);
      socketRef.current = socket;
      socket.onopen = () => {
        attempts = 0;
        setOnline(true);
      };
      socket.onmessage = ({ data }) => {
        // incoming_call and call_cancelled, each with { call } (docs/api/signaling.md).
        const message = JSON.parse(String(data)) as { type?: string; payload?: { call?: CallDto } };
        const call = message.payload?.call;
        if (!call) return;
        if (message.type === 'incoming_call') {
          setIncoming((calls) => (calls.some((c) => c.id === call.id) ? calls : [...calls, call]));
          ring();
        } else if (message.type === 'call_cancelled') {
          setIncoming((calls) => calls.filter((c) => c.id !== call.id));
        }
      };
      socket.onclose = ({ code }) => {
        setOnline(false);
        if (stopped) return;
        attempts += 1;
        timer = setTimeout(
          async () => {
            try {
              // An expired access token closes with 4401: refresh it first.
              const fresh = code === 4401 ? await refreshAuth() : loadAuth();
              if (fresh && !stopped) open(fresh.access_token);
            } catch {
              setError('Your session has expired. Please sign in again.');
            }
          },
          Math.min(1000 * attempts, 5000),
        );
      };
    };
    webConfig().then(
      (config) => {
        notifyUrl = config.signaling_notify_url;
        if (!stopped) open(auth.access_token);
      },
      (e) => setError(describeError(e)),
    );
    return () => {
      stopped = true;
      clearTimeout(timer);
      socketRef.current?.close(1000);
    };
  }, [auth]);

  useEffect(() => {
    if (!incoming.length) {
      document.title = 'Host console · Vidivo';
      return;
    }
    let flip = false;
    const timer = setInterval(() => {
      flip = !flip;
      document.title = flip ? `(${incoming.length}) Incoming call! · Vidivo` : 'Host console · Vidivo';
    }, 1000);
    const ringer = setInterval(ring, 3000);
    return () => {
      clearInterval(timer);
      clearInterval(ringer);
    };
  }, [incoming.length]);

  const dismiss = (callId: string) => setIncoming((calls) => calls.filter((c) => c.id !== callId));
  return { incoming, online, error, dismiss };
}
