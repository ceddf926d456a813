import { useState, type ReactNode } from "react";
import { cn, isHttpUrl } from "../lib/utils";
import { OnAirDot } from "./logo";

interface ThumbnailProps {
  src: string | null | undefined;
  /** Shown on the placeholder when there is no image (or it fails to load). */
  name: string;
  alt?: string;
  className?: string;
  dim?: boolean;
  /** "lg": a channel banner — the placeholder scales up. */
  size?: "default" | "lg";
  /** Told the URL that failed to load. */
  onError?: (src: string) => void;
  children?: ReactNode;
}

/** 16:9 stream artwork with a branded placeholder when the URL is missing or broken. */
export function Thumbnail({ src, name, alt = "", className, dim, size = "default", onError, children }: ThumbnailProps) {
  const [failedSrc, setFailedSrc] = useState<string | null>(null);
  const usable = src && isHttpUrl(src) && failedSrc !== src ? src : null;
  return (
    <div className={cn("relative aspect-video w-full overflow-hidden rounded-lg bg-muted", className)}>
      {usable ? (
        <img
          src={usable}
          alt={alt}
          loading="lazy"
          referrerPolicy="no-referrer"
          onError={() => {
            setFailedSrc(usable);
            onError?.(usable);
          }}
          className={cn("size-full object-cover transition-transform duration-300", dim && "opacity-60 saturate-50")}
        />
      ) : (
        <Placeholder name={name} large={size === "lg"} />
      )}
      {children}
    </div>
  );
}

function Placeholder({ name, large }: { name: string; large: boolean }) {
  return (
    <div
      className="flex size-full flex-col items-center justify-center gap-3 bg-[#121218] bg-[radial-gradient(ellipse_at_30%_20%,#3a1020_0%,transparent_55%),radial-gradient(ellipse_at_80%_90%,#1c1240_0%,transparent_50%)]"
      data-testid="thumbnail-placeholder"
    >
      <div
        className={cn(
          "flex items-center justify-center rounded-full border border-primary/30 bg-primary/10",
          large ? "size-14 sm:size-24 sm:border-2" : "size-12",
        )}
      >
        <OnAirDot pulse={false} className={large ? "size-3.5 sm:size-6" : "size-3"} />
      </div>
      <span className={cn("max-w-[80%] truncate font-semibold text-white/70", large ? "text-sm sm:text-2xl" : "text-sm")}>{name}</span>
    </div>
  );
}
