import { Home } from "lucide-react";
import { Component, type ReactNode } from "react";
import { Link, useLocation } from "react-router";
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
      <div
        className="flex items-center gap-2 text-[5.5rem] leading-none font-black tracking-tighter text-foreground/90 sm:text-[8rem]"
        aria-hidden
      >
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

/** Something broke while rendering a page: keep the brand and a way home. Another path renders the app again. */
export function RouteErrorBoundary({ children }: { children: ReactNode }) {
  const { pathname } = useLocation();
  return <ErrorBoundary path={pathname}>{children}</ErrorBoundary>;
}

class ErrorBoundary extends Component<{ path: string; children: ReactNode }, { failed: boolean; path: string }> {
  override state = { failed: false, path: this.props.path };

  static getDerivedStateFromError() {
    return { failed: true };
  }

  static getDerivedStateFromProps(props: { path: string }, state: { path: string }) {
    return props.path === state.path ? null : { failed: false, path: props.path };
  }

  override render() {
    return this.state.failed ? <RouteErrorPage /> : this.props.children;
  }
}

function RouteErrorPage() {
  return (
    <div className="min-h-dvh">
      <header className="flex h-14 items-center border-b border-border px-4">
        <Logo />
      </header>
      <NotFoundPage
        eyebrow="Error"
        title="Something went wrong"
        message="An unexpected error interrupted this page. Reload, or head back home."
      />
    </div>
  );
}
