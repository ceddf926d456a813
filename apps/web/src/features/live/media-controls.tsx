import { Card } from "../../components/ui/card";
import { DevicePickers } from "./device-pickers";
import { MediaToggles, type MediaTogglesProps } from "./media-toggles";
import { MicMeter } from "./mic-meter";
import type { useLocalMedia } from "./use-local-media";
import { useTrackState } from "./use-track-state";

/** The Go Live page's media card, before and while live: toggles, the mic level and device pickers. */
export function MediaControls({ local, screen }: { local: ReturnType<typeof useLocalMedia>; screen?: MediaTogglesProps["screen"] }) {
  const ready = local.media.status === "ready" ? local.media : null;
  const camera = useTrackState(ready?.video);
  const mic = useTrackState(ready?.audio);
  return (
    <Card className="grid gap-4 p-4 sm:p-5">
      <div className="flex flex-wrap items-center gap-x-5 gap-y-3">
        <MediaToggles video={ready?.video ?? null} audio={ready?.audio ?? null} screen={screen} />
        <div className="grid min-w-[180px] flex-1 gap-1.5">
          <span className="text-xs font-medium text-muted-foreground">Microphone level</span>
          <MicMeter track={ready?.audio ?? null} />
        </div>
      </div>
      {ready && <DevicePickers compact cameraId={camera.deviceId} microphoneId={mic.deviceId} onSwitch={local.switchDevice} />}
    </Card>
  );
}
