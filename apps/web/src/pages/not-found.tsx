import { Home } from "lucide-react";
import { Link, isRouteErrorResponse, useRouteError } from "react-router";
import { Logo } from "../components/logo";
import { Button } from "../components/ui/button";

interface NotFoundProps {
  eyebrow?: string;
  title?: string;
  message?: string;
}

/** The 404 page: unknown routes and unknown channels. */
export function NotFoundPage({
  eyebrow = "Page not found",
  title = "Nothing is on air here",
  message = "The page you're looking for doesn't exist, or it moved.",
}: NotFoundProps) {
  return (
    <section className="flex min-h-[65vh] flex-col items-center justify-center px-4 text-center" aria-labelledby="not-found-title">
      <title>{`Not found · OnAir`}</title>
      <div className="flex items-center gap-2 text-[5.5rem] leading-none font-black tracking-tighter text-foreground/90 sm:text-[8rem]" aria-hidden>
        <span>4</span>
        <span className="relative flex size-[4.5rem] items-center justify-center rounded-full border-[10px] border-primary/30 sm:size-[6.5rem] sm:border-[14px]">
          <span className="absolute inset-0 animate-on-air rounded-full border-2 border-primary/50" />
          <span className="size-5 rounded-full bg-primary shadow-[0_0_30px_6px] shadow-primary/50 sm:size-7" />
        </span>
        <span>4</span>
      </div>
      <p className="mt-6 text-xs font-bold tracking-[0.3em] text-brand uppercase">{eyebrow}</p>
      <h1 id="not-found-title" className="mt-3 text-2xl font-bold tracking-tight sm:text-3xl">
        {title}
      </h1>
      <p className="mt-3 max-w-md text-muted-foreground">{message}</p>
      <div className="mt-8 flex flex-wrap justify-center gap-3">
        <Button asChild>
          <Link to="/">
            <Home /> Back to live channels
          </Link>
        </Button>
      </div>
    </section>
  );
}

/** Something broke while rendering: keep the brand and a way home. */
export function RouteErrorPage() {
  const error = useRouteError();
  const notFound = isRouteErrorResponse(error) && error.status === 404;
  return (
    <div className="min-h-dvh">
      <header className="flex h-14 items-center border-b border-border px-4">
        <Logo />
      </header>
      {notFound ? (
        <NotFoundPage />
      ) : (
        <NotFoundPage eyebrow="Error" title="Something went wrong" message="An unexpected error interrupted this page. Reload, or head back home." />
      )}
    </div>
  );
}
