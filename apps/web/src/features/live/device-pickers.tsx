import { Camera, ChevronDown, Mic } from "lucide-react";
import { useState, type ReactNode } from "react";
import { toast } from "../../lib/toast";
import { cn } from "../../lib/utils";
import { useMediaDevices } from "./use-devices";

interface DevicePickersProps {
  cameraId: string | undefined;
  microphoneId: string | undefined;
  onSwitch: (kind: "videoinput" | "audioinput", deviceId: string) => Promise<void>;
  className?: string;
  /** Lay the two pickers side by side from this width up. */
  compact?: boolean;
}

/** Camera and microphone selects; switching keeps the stream going (the track restarts in place). */
export function DevicePickers({ cameraId, microphoneId, onSwitch, className, compact }: DevicePickersProps) {
  const { cameras, microphones } = useMediaDevices(true);
  const [busy, setBusy] = useState<"videoinput" | "audioinput" | null>(null);

  async function change(kind: "videoinput" | "audioinput", deviceId: string) {
    setBusy(kind);
    try {
      await onSwitch(kind, deviceId);
    } catch (error) {
      const what = kind === "videoinput" ? "camera" : "microphone";
      toast.error(`Couldn't switch ${what}: ${error instanceof Error ? error.message : String(error)}. Is another app using it?`);
    } finally {
      setBusy(null);
    }
  }

  return (
    <div className={cn("grid gap-3", compact ? "sm:grid-cols-2" : undefined, className)}>
      <Picker
        id="camera-picker"
        label="Camera"
        icon={<Camera />}
        devices={cameras}
        value={cameraId}
        busy={busy === "videoinput"}
        onChange={(id) => void change("videoinput", id)}
      />
      <Picker
        id="mic-picker"
        label="Microphone"
        icon={<Mic />}
        devices={microphones}
        value={microphoneId}
        busy={busy === "audioinput"}
        onChange={(id) => void change("audioinput", id)}
      />
    </div>
  );
}

interface PickerProps {
  id: string;
  label: string;
  icon: ReactNode;
  devices: MediaDeviceInfo[];
  value: string | undefined;
  busy: boolean;
  onChange: (deviceId: string) => void;
}

function Picker({ id, label, icon, devices, value, busy, onChange }: PickerProps) {
  const known = devices.some((d) => d.deviceId === value);
  return (
    <div className="grid gap-1.5">
      <label htmlFor={id} className="flex items-center gap-1.5 text-xs font-medium text-muted-foreground [&_svg]:size-3.5">
        {icon} {label}
      </label>
      <div className="relative">
        <select
          id={id}
          value={known ? value : ""}
          disabled={devices.length === 0 || busy}
          aria-busy={busy || undefined}
          onChange={(e) => onChange(e.target.value)}
          className="h-10 w-full cursor-pointer appearance-none truncate rounded-md border border-input bg-background pr-9 pl-3 text-sm outline-none focus-visible:ring-2 focus-visible:ring-ring disabled:cursor-not-allowed disabled:opacity-60"
        >
          {!known && <option value="">{devices.length === 0 ? `No ${label.toLowerCase()} found` : "System default"}</option>}
          {devices.map((d, i) => (
            <option key={d.deviceId} value={d.deviceId}>
              {d.label || `${label} ${i + 1}`}
            </option>
          ))}
        </select>
        <ChevronDown className="pointer-events-none absolute top-1/2 right-3 size-4 -translate-y-1/2 text-muted-foreground" aria-hidden />
      </div>
    </div>
  );
}
