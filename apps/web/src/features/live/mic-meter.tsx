import type { LocalAudioTrack } from "livekit-client";
import { useEffect, useRef } from "react";
import { cn } from "../../lib/utils";
import { useTrackState } from "./use-track-state";

const BARS = 12;

/** A live level meter for the microphone (WebAudio AnalyserNode, drawn without re-rendering). */
export function MicMeter({ track, className }: { track: LocalAudioTrack | null; className?: string }) {
  const { muted, mediaStreamTrack } = useTrackState(track);
  const barsRef = useRef<HTMLDivElement>(null);

  useEffect(() => {
    const bars = barsRef.current;
    if (!mediaStreamTrack || muted || !bars) return;
    const context = new AudioContext();
    const source = context.createMediaStreamSource(new MediaStream([mediaStreamTrack]));
    const analyser = context.createAnalyser();
    analyser.fftSize = 512;
    source.connect(analyser);
    const samples = new Float32Array(analyser.fftSize);
    // Autoplay rules may start the context suspended: the first click anywhere wakes it.
    const resume = () => void context.resume();
    window.addEventListener("pointerdown", resume);
    void context.resume().catch(() => {});
    let frame = 0;
    let smoothed = 0;
    const draw = () => {
      analyser.getFloatTimeDomainData(samples);
      let sum = 0;
      for (const s of samples) sum += s * s;
      const rms = Math.sqrt(sum / samples.length);
      // Speech sits around 0.02–0.2 RMS: a log scale spreads it across the bars.
      const level = Math.min(1, Math.max(0, (20 * Math.log10(rms || 1e-8) + 60) / 50));
      smoothed = Math.max(level, smoothed * 0.85);
      const lit = Math.round(smoothed * BARS);
      bars.dataset.level = String(lit);
      Array.from(bars.children).forEach((bar, i) => bar.classList.toggle("opacity-100", i < lit));
      frame = requestAnimationFrame(draw);
    };
    draw();
    return () => {
      cancelAnimationFrame(frame);
      window.removeEventListener("pointerdown", resume);
      Array.from(bars.children).forEach((bar) => bar.classList.remove("opacity-100"));
      source.disconnect();
      void context.close();
    };
  }, [mediaStreamTrack, muted]);

  return (
    <div className={cn("flex items-center gap-2", className)}>
      <div
        ref={barsRef}
        role="img"
        aria-label={!track ? "No microphone" : muted ? "Microphone muted" : "Microphone level"}
        data-testid="mic-meter"
        className="flex h-3 flex-1 items-stretch gap-0.5"
      >
        {Array.from({ length: BARS }, (_, i) => (
          <span
            key={i}
            className={cn(
              "flex-1 rounded-[2px] opacity-20 transition-opacity duration-75",
              i < BARS * 0.6 ? "bg-green-400" : i < BARS * 0.85 ? "bg-amber-400" : "bg-red-400",
            )}
          />
        ))}
      </div>
      {track && muted && <span className="text-xs font-medium text-muted-foreground">Muted</span>}
    </div>
  );
}
