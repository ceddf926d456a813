import { Search } from "lucide-react";
import type { FormEvent } from "react";
import { useSearchParams } from "react-router";
import { useGuardedNavigate } from "../../lib/navigation-guard";
import { cn, formText } from "../../lib/utils";

/** Searches channels (live or not) by name or title; results show on the home page (stream.search). */
export function SearchBox({ className, autoFocus, onDone }: { className?: string; autoFocus?: boolean; onDone?: () => void }) {
  const navigate = useGuardedNavigate();
  const [params] = useSearchParams();
  const current = params.get("q") ?? "";

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const q = formText(new FormData(event.currentTarget), "q").trim();
    navigate(q ? `/?q=${encodeURIComponent(q)}` : "/");
    onDone?.();
  }

  return (
    <form role="search" onSubmit={submit} className={cn("relative", className)}>
      <label htmlFor={autoFocus ? "search-mobile" : "search"} className="sr-only">
        Search channels
      </label>
      <input
        key={current}
        id={autoFocus ? "search-mobile" : "search"}
        name="q"
        type="search"
        defaultValue={current}
        autoFocus={autoFocus}
        placeholder="Search channels"
        autoComplete="off"
        maxLength={100}
        className="h-10 w-full rounded-full border border-input bg-[#111116] pr-11 pl-4 text-sm placeholder:text-muted-foreground/70 outline-none hover:border-[#3d3d4a] focus-visible:border-ring focus-visible:ring-2 focus-visible:ring-ring/30 focus-visible:outline-none"
      />
      <button
        type="submit"
        aria-label="Search"
        className="absolute top-1 right-1 flex size-8 items-center justify-center rounded-full text-muted-foreground outline-none hover:bg-accent hover:text-foreground focus-visible:ring-2 focus-visible:ring-ring"
      >
        <Search className="size-4" />
      </button>
    </form>
  );
}
