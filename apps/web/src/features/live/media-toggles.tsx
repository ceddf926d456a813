import type { LocalAudioTrack, LocalVideoTrack } from "livekit-client";
import { Mic, MicOff, MonitorOff, MonitorUp, Video, VideoOff } from "lucide-react";
import { useState, type ReactNode } from "react";
import { toast } from "../../lib/toast";
import { cn } from "../../lib/utils";
import { useTrackState } from "./use-track-state";

export interface MediaTogglesProps {
  video: LocalVideoTrack | null;
  audio: LocalAudioTrack | null;
  /** Only while live: screen sharing needs the LiveKit connection. */
  screen?: { sharing: boolean; available: boolean; toggle: () => Promise<unknown> };
}

/** Camera on/off, microphone mute and screen share: round buttons that say what they will do. */
export function MediaToggles({ video, audio, screen }: MediaTogglesProps) {
  const cam = useTrackState(video);
  const mic = useTrackState(audio);
  const [busy, setBusy] = useState<string | null>(null);

  async function run(key: string, action: () => Promise<unknown>) {
    setBusy(key);
    try {
      await action();
    } catch (error) {
      toast.error(error instanceof Error ? error.message : String(error));
    } finally {
      setBusy(null);
    }
  }

  return (
    <div className="flex items-center gap-2" role="group" aria-label="Camera and microphone">
      <Toggle
        label={cam.muted ? "Turn camera on" : "Turn camera off"}
        off={cam.muted}
        disabled={!video || busy === "cam"}
        onClick={() => video && void run("cam", () => (video.isMuted ? video.unmute() : video.mute()))}
      >
        {cam.muted ? <VideoOff /> : <Video />}
      </Toggle>
      <Toggle
        label={mic.muted ? "Unmute microphone" : "Mute microphone"}
        off={mic.muted}
        disabled={!audio || busy === "mic"}
        onClick={() => audio && void run("mic", () => (audio.isMuted ? audio.unmute() : audio.mute()))}
      >
        {mic.muted ? <MicOff /> : <Mic />}
      </Toggle>
      {screen && (
        <Toggle
          label={screen.sharing ? "Stop sharing screen" : "Share screen"}
          active={screen.sharing}
          disabled={!screen.available || busy === "screen"}
          onClick={() => void run("screen", screen.toggle)}
        >
          {screen.sharing ? <MonitorOff /> : <MonitorUp />}
        </Toggle>
      )}
    </div>
  );
}

function Toggle({
  label,
  off,
  active,
  disabled,
  onClick,
  children,
}: {
  label: string;
  off?: boolean;
  active?: boolean;
  disabled?: boolean;
  onClick: () => void;
  children: ReactNode;
}) {
  return (
    <button
      type="button"
      aria-label={label}
      title={label}
      disabled={disabled}
      onClick={onClick}
      className={cn(
        "flex size-11 cursor-pointer items-center justify-center rounded-full border outline-none transition-colors focus-visible:ring-2 focus-visible:ring-ring focus-visible:ring-offset-2 focus-visible:ring-offset-background disabled:cursor-not-allowed disabled:opacity-50 [&_svg]:size-5",
        off
          ? "border-red-500/40 bg-red-500/15 text-red-300 hover:bg-red-500/25"
          : active
            ? "border-sky-400/40 bg-sky-500/20 text-sky-200 hover:bg-sky-500/30"
            : "border-border bg-accent text-foreground hover:bg-[#2f2f3a]",
      )}
    >
      {children}
    </button>
  );
}
