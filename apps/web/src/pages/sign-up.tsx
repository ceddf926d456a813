import { useQueryClient } from "@tanstack/react-query";
import { useState, type FormEvent, type ReactNode } from "react";
import { Link, useNavigate, useSearchParams } from "react-router";
import { USERNAME_PATTERN, USERNAME_RULE } from "@onair/auth/username";
import { toast } from "../lib/toast";
import { AuthCard, PasswordInput, safeNext } from "../components/auth-card";
import { Alert } from "../components/ui/alert";
import { Button } from "../components/ui/button";
import { Field, hintId } from "../components/ui/field";
import { Input } from "../components/ui/input";
import { authClient, describeAuthError, type AuthField, type AuthProblem } from "../lib/auth";
import { trpc } from "../lib/trpc";
import { cn, formText } from "../lib/utils";

const FIELDS: readonly AuthField[] = ["username", "email", "password"];

function Hint({ ok, children }: { ok: boolean; children: ReactNode }) {
  return <span className={cn(!ok && "text-amber-300/90")}>{children}</span>;
}

export function SignUpPage() {
  const [params] = useSearchParams();
  const next = safeNext(params.get("next"));
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const utils = trpc.useUtils();
  const [username, setUsername] = useState("");
  const [password, setPassword] = useState("");
  const [problem, setProblem] = useState<AuthProblem | null>(null);
  const [pending, setPending] = useState(false);
  const [adminName, setAdminName] = useState<string | null>(null);

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const email = formText(new FormData(event.currentTarget), "email").trim();
    setPending(true);
    setProblem(null);
    const { error } = await authClient.signUp.email({
      email,
      password,
      name: username.trim(),
      username: username.trim(),
      callbackURL: "/verify-email",
    });
    if (error) {
      setPending(false);
      setProblem(describeAuthError(error, FIELDS));
      return;
    }
    queryClient.clear();
    const me = await utils.account.me.fetch().catch(() => null);
    setPending(false);
    if (me?.role === "admin") {
      setAdminName(me.username);
      return;
    }
    toast.success(`Welcome to OnAir, ${me?.username ?? username}!`);
    void navigate(next, { replace: true });
  }

  if (adminName) return <AdminWelcome username={adminName} />;

  const fieldError = (field: AuthField) => (problem?.field === field ? problem.message : undefined);
  const usernameOk = username === "" || USERNAME_PATTERN.test(username);
  const passwordOk = password === "" || password.length >= 8;

  return (
    <AuthCard
      title="Create your account"
      subtitle="Watch, chat and — when you're ready — go live."
      footer={
        <>
          Already have an account?{" "}
          <Link to={`/sign-in${params.size ? `?${params}` : ""}`} className="font-semibold text-brand underline-offset-4 hover:underline">
            Sign in
          </Link>
        </>
      }
    >
      <title>Sign up · OnAir</title>
      <form onSubmit={(event) => void submit(event)} noValidate className="grid gap-5">
        {problem && !problem.field && <Alert variant="error">{problem.message}</Alert>}
        <Field
          id="username"
          label="Username"
          error={fieldError("username")}
          hint={
            <Hint ok={usernameOk}>
              {USERNAME_RULE}. Your channel: /{username || "yourname"}
            </Hint>
          }
        >
          <Input
            id="username"
            name="username"
            value={username}
            onChange={(e) => setUsername(e.target.value)}
            autoComplete="username"
            autoCapitalize="none"
            spellCheck={false}
            required
            aria-invalid={Boolean(fieldError("username"))}
            aria-describedby={hintId("username")}
          />
        </Field>
        <Field id="email" label="Email" error={fieldError("email")}>
          <Input
            id="email"
            name="email"
            type="email"
            autoComplete="email"
            required
            aria-invalid={Boolean(fieldError("email"))}
            aria-describedby={hintId("email")}
          />
        </Field>
        <Field id="password" label="Password" error={fieldError("password")} hint={<Hint ok={passwordOk}>At least 8 characters.</Hint>}>
          <PasswordInput
            id="password"
            name="password"
            value={password}
            onChange={(e) => setPassword(e.target.value)}
            autoComplete="new-password"
            required
            invalid={Boolean(fieldError("password"))}
          />
        </Field>
        <Button type="submit" size="lg" pending={pending} className="mt-1 w-full">
          Create account
        </Button>
      </form>
    </AuthCard>
  );
}

function AdminWelcome({ username }: { username: string }) {
  return (
    <AuthCard title={`Welcome, ${username}!`} subtitle="Your account is ready.">
      <title>Welcome · OnAir</title>
      <div className="grid gap-5">
        <Alert variant="success" data-testid="first-admin-notice">
          <span className="mb-1 block font-semibold">You're the admin</span>
          Your account is the first on this OnAir, so it is the admin.
        </Alert>
        <p className="text-sm text-muted-foreground">
          As admin you approve who may go live. You can make yourself a creator from the admin page, too.
        </p>
        <div className="flex flex-col gap-3 sm:flex-row">
          <Button asChild className="sm:flex-1">
            <Link to="/admin">Open admin</Link>
          </Button>
          <Button asChild variant="secondary" className="sm:flex-1">
            <Link to="/">Explore OnAir</Link>
          </Button>
        </div>
      </div>
    </AuthCard>
  );
}
