import { useEffect, useState } from "react";

/** Cameras and microphones, kept current as devices are plugged in or out. */
export function useMediaDevices(enabled: boolean) {
  const [devices, setDevices] = useState<MediaDeviceInfo[]>([]);
  useEffect(() => {
    if (!enabled || !navigator.mediaDevices) return;
    let active = true;
    const refresh = () => {
      navigator.mediaDevices.enumerateDevices().then(
        (list) => active && setDevices(list.filter((d) => d.deviceId !== "")),
        () => {},
      );
    };
    refresh();
    navigator.mediaDevices.addEventListener("devicechange", refresh);
    return () => {
      active = false;
      navigator.mediaDevices.removeEventListener("devicechange", refresh);
    };
  }, [enabled]);
  return {
    cameras: devices.filter((d) => d.kind === "videoinput"),
    microphones: devices.filter((d) => d.kind === "audioinput"),
  };
}
