import { ChevronDown, LogOut, Radio, ShieldCheck, Sparkles, Tv, Wallet } from "lucide-react";
import { Link } from "react-router";
import { useGuardedNavigate } from "../../lib/navigation-guard";
import { toast } from "../../lib/toast";
import { trpc } from "../../lib/trpc";
import { useSignOut, useViewer } from "../../lib/viewer";
import { Avatar } from "../ui/avatar";
import {
  DropdownMenu,
  DropdownMenuContent,
  DropdownMenuItem,
  DropdownMenuLabel,
  DropdownMenuSeparator,
  DropdownMenuTrigger,
} from "../ui/dropdown-menu";

export function UserMenu() {
  const viewer = useViewer();
  const signOut = useSignOut();
  const navigate = useGuardedNavigate();
  const wallet = trpc.wallet.balance.useQuery(undefined, { enabled: viewer.signedIn });
  const me = viewer.me;
  if (!me) return null;

  async function handleSignOut() {
    await signOut();
    toast.success("Signed out. See you soon!");
    navigate("/");
  }

  return (
    // Not modal: a modal menu aria-hides the page behind it while that page stays focusable (axe: aria-hidden-focus).
    // Focus still moves into the menu, arrows and Escape work, and a click or focus outside closes it.
    <DropdownMenu modal={false}>
      <DropdownMenuTrigger
        className="flex items-center gap-2 rounded-full py-1 pr-2 pl-1 outline-none hover:bg-accent focus-visible:ring-2 focus-visible:ring-ring data-[state=open]:bg-accent"
        aria-label={`Account menu for ${me.username}`}
      >
        <Avatar name={me.username} className="size-8" />
        <span className="hidden max-w-32 truncate text-sm font-semibold sm:inline" data-testid="user-menu-name">
          {me.username}
        </span>
        <ChevronDown className="hidden size-4 text-muted-foreground sm:block" aria-hidden />
      </DropdownMenuTrigger>
      <DropdownMenuContent align="end">
        <DropdownMenuLabel>
          <span className="block font-semibold">{me.username}</span>
          <span className="block truncate text-xs text-muted-foreground">{me.email}</span>
          {me.role === "admin" && (
            <span className="mt-1.5 inline-block rounded bg-primary/15 px-1.5 py-0.5 text-[11px] font-bold text-brand uppercase">
              Admin
            </span>
          )}
        </DropdownMenuLabel>
        <DropdownMenuSeparator />
        <DropdownMenuItem asChild>
          <Link to="/wallet" data-testid="menu-wallet">
            <Wallet /> Wallet
            {wallet.data && (
              <span className="ml-auto text-xs font-semibold text-amber-200 tabular-nums">
                {wallet.data.balance.toLocaleString("en")} coins
              </span>
            )}
          </Link>
        </DropdownMenuItem>
        {viewer.isCreator ? (
          <>
            <DropdownMenuItem asChild>
              <Link to={`/${me.username}`}>
                <Tv /> My channel
              </Link>
            </DropdownMenuItem>
            <DropdownMenuItem asChild>
              <Link to="/dashboard">
                <Radio /> Creator dashboard
              </Link>
            </DropdownMenuItem>
          </>
        ) : (
          <DropdownMenuItem asChild>
            <Link to="/become-creator">
              <Sparkles /> Become a creator
            </Link>
          </DropdownMenuItem>
        )}
        {viewer.isAdmin && (
          <DropdownMenuItem asChild>
            <Link to="/admin">
              <ShieldCheck /> Admin
            </Link>
          </DropdownMenuItem>
        )}
        <DropdownMenuSeparator />
        <DropdownMenuItem onSelect={() => void handleSignOut()}>
          <LogOut /> Sign out
        </DropdownMenuItem>
      </DropdownMenuContent>
    </DropdownMenu>
  );
}
